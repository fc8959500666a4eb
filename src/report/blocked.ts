// What a person sees when a hook stops their commit (or push): the key has not left the machine.
import type { ScanResult } from '../scan/pipeline.js';

/**
 * Where the hook read the suppression settings: `approved` (`staged`: the ignore file and config
 * as committed in HEAD) or `work tree` (the pre-commit framework's `scan --hook`).
 */
export type HookSettings = 'approved' | 'work tree';

function keyFiles(result: ScanResult): { files: string; inName: boolean } {
  const high = result.findings.filter((f) => f.confidence === 'high');
  return { files: [...new Set(high.map((f) => f.path))].join(', '), inName: high.some((f) => f.inName) };
}

function allowLines(settings: HookSettings): string[] {
  return [
    '  - or, if it is deliberate (a made-up key in a test), add `spreeflo-scan:allow` in a comment on that line',
    '    (`spreeflo-scan:allow-next-line` on the line above, for JSON or YAML), or add the fingerprint printed',
    ...(settings === 'approved'
      ? [
          '    under the place (or a path glob) to .spreeflo-scan-ignore and commit that first (a commit is checked',
          '    with the ignore file and config in HEAD: it cannot silence itself).',
        ]
      : ['    under the place (or a path glob) to .spreeflo-scan-ignore.']),
  ];
}

export function blockedCommitAdvice(result: ScanResult, settings: HookSettings = 'approved'): string[] {
  const { files, inName } = keyFiles(result);
  return [
    `Commit blocked: a Spreeflo API key is staged in ${files}.`,
    'The key has not left this machine yet. To go on:',
    '  - remove the key from the file (read it from an environment variable or a secret store),',
    '    then `git add` the file again and commit;',
    ...(inName ? ['  - a file or folder named after the key: rename it (`git mv`) and commit;'] : []),
    ...allowLines(settings),
    '`git commit --no-verify` skips this check and every other pre-commit hook: the key would be in history,',
    'and once pushed it must be revoked in Spreeflo (Settings > API Keys) and purged from history.',
  ];
}

export function blockedPushAdvice(result: ScanResult): string[] {
  const { files, inName } = keyFiles(result);
  return [
    `Push blocked: a Spreeflo API key is in ${files}, changed by the commits being pushed.`,
    'The key has not left this machine yet. To go on:',
    '  - remove the key from the file (read it from an environment variable or a secret store),',
    '    then rewrite the commits that hold it (`git commit --amend` for the last one, `git rebase -i` for older ones) and push;',
    ...(inName ? ['  - a file or folder named after the key: rename it (`git mv`) in those commits;'] : []),
    ...allowLines('work tree'),
    '`git push --no-verify` skips this check: once pushed, the key must be revoked in Spreeflo (Settings > API Keys)',
    'and purged from history.',
  ];
}

/**
 * The pre-commit framework's `scan --hook`: it sets PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF
 * for a push (and `pre-commit run --from-ref --to-ref`); otherwise the files are a commit's.
 */
export function frameworkHookAdvice(env: NodeJS.ProcessEnv): (result: ScanResult) => string[] {
  if (env.PRE_COMMIT_FROM_REF && env.PRE_COMMIT_TO_REF) return blockedPushAdvice;
  return (result) => blockedCommitAdvice(result, 'work tree');
}
