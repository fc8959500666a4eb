// Imported first by every OCR tool that prints readings: keys, and readings of keys, reach
// the terminal redacted (`sfk_ZSXN…cF8u`) as in every report, though the sets' keys are made
// up: a tool pointed at a real screenshot must not print its key, and bench logs get pasted
// into notes and issues. `--show-keys` (taken off the command line here, before the tool
// parses it) prints them whole, to compare a misread with its key character by character.
import { inspect } from 'node:util';
import { redactKey } from '../../src/verify/redact.js';

const flagAt = process.argv.indexOf('--show-keys');
export const SHOW_KEYS = flagAt !== -1;
if (SHOW_KEYS) process.argv.splice(flagAt, 1);

/**
 * Key-shaped runs: a v2 key or its reading (`sfk_` and 36 characters, or what OCR made of
 * them), 32 hex digits with `-sf` and a version. Any run of 20 word characters is taken, so
 * a misread prefix (`STR…`) or a key read short is redacted too; so is a partly read v2 key
 * (`sfk_` and a few characters: a partial finding), which is a piece of a key all the same;
 * and so is a v1 key's visible end with its `-sf<dc>` (a key partly covered: 19 digits of
 * wild-3701 occluded-003's key were printed whole before this).
 */
const KEY_LIKE = /sfk_[0-9A-Za-z]+|[0-9A-Za-z_]{20,}(?:-sf[0-9]*)?|[0-9A-Za-z]{8,}-sf[0-9]+/g;

export function shown(text: string): string {
  return SHOW_KEYS ? text : text.replace(KEY_LIKE, (run) => (run.length > 16 ? redactKey(run) : `${run.slice(0, 4)}…`));
}

if (!SHOW_KEYS) {
  const log = console.log;
  console.log = (...args: unknown[]) => log(...args.map((a) => shown(typeof a === 'string' ? a : inspect(a, { depth: 6 }))));
}
