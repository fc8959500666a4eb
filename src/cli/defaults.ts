// Option defaults, apart from the argument parser: the pre-commit hook's plain
// `spreeflo-scan staged` runs with them without loading the parser at all.
import type { StagedOptions } from './staged-command.js';

export const DEFAULTS = {
  format: 'text',
  progress: true,
  color: true,
  verifyTimeout: 10_000,
  verifyRate: 9,
  verifyConcurrency: 8,
  failOn: 'any',
  cache: true,
} as const satisfies Partial<StagedOptions>;
