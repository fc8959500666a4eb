// What a person sees when the pre-commit hook stops their commit.
import type { ScanResult } from '../scan/pipeline.js';

export function blockedCommitAdvice(result: ScanResult): string[] {
  const high = result.findings.filter((f) => f.confidence === 'high');
  const files = [...new Set(high.map((f) => f.path))];
  const inName = high.some((f) => f.inName);
  return [
    `Commit blocked: a Spreeflo API key is staged in ${files.join(', ')}.`,
    'The key has not left this machine yet. To go on:',
    '  - remove the key from the file (read it from an environment variable or a secret store),',
    '    then `git add` the file again and commit;',
    ...(inName ? ['  - a file or folder named after the key: rename it (`git mv`) and commit;'] : []),
    '  - or, if it is deliberate (a made-up key in a test), add `spreeflo-scan:allow` in a comment on that line',
    '    (`spreeflo-scan:allow-next-line` on the line above, for JSON or YAML), or add the fingerprint printed',
    '    under the place (or a path glob) to .spreeflo-scan-ignore and commit that first (a commit is checked',
    '    with the ignore file and config in HEAD: it cannot silence itself).',
    '`git commit --no-verify` skips this check and every other pre-commit hook: the key would be in history,',
    'and once pushed it must be revoked in Spreeflo (Settings > API Keys) and purged from history.',
  ];
}
