// In pull-request mode, a range that silences findings must say so: reviewers see
// every change to the config or ignore file and every new allow comment.
import { CONFIG_NAMES, IGNORE_FILE_NAME } from '../config.js';
import { ALLOW_MARKER } from '../detect/allow.js';
import { gitOk, unquoteGitPath } from './run.js';

export async function suppressionChanges(root: string, range: string): Promise<string[]> {
  const notes: string[] = [];
  const changed = await gitOk(['-c', 'core.quotePath=false', 'diff', '--name-only', range, '--', ...CONFIG_NAMES, IGNORE_FILE_NAME, `**/${IGNORE_FILE_NAME}`], root);
  for (const path of changed.toString('utf8').split('\n').filter(Boolean)) {
    notes.push(`review: this range changes ${path}, which can silence findings`);
  }
  const patch = await gitOk(['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '-U0', `-G${ALLOW_MARKER}`, range], root);
  let path = '';
  let line = 0;
  for (const text of patch.toString('utf8').split('\n')) {
    if (text.startsWith('+++ ')) path = unquoteGitPath(text.slice(4).replace(/\t$/, '')).replace(/^b\//, '');
    else if (text.startsWith('@@ ')) line = Number(/\+(\d+)/.exec(text)?.[1] ?? 0);
    else if (text.startsWith('+')) {
      if (text.includes(ALLOW_MARKER)) notes.push(`review: this range adds a ${ALLOW_MARKER} comment at ${path}:${line}`);
      line++;
    }
  }
  return notes;
}
