// Flags every scanning command shares. Kept apart from what they set up, so the
// command line can be parsed without loading the scanner.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseSize } from '../units.js';
import { DEFAULTS } from './defaults.js';
import type { UnreadMode } from '../model.js';

export interface CommonOptions {
  format: 'text' | 'json' | 'sarif' | 'html';
  output?: string;
  /** Further reports of the same run, for tools that read one format while people read another (the GitHub Action). */
  jsonOutput?: string;
  sarifOutput?: string;
  showSecrets?: boolean;
  config?: string;
  ignoreFile?: string;
  baseline?: string;
  strict?: boolean;
  progress: boolean;
  /** Nothing on stdout when the run passes, only what fails it otherwise; no progress. */
  quiet?: boolean;
  color?: boolean;
  verify?: boolean;
  verifyTimeout?: number;
  verifyRate?: number;
  verifyConcurrency?: number;
  /** Seconds for the whole check; unset: 30 plus what pacing needs. */
  verifyDeadline?: number;
  failOn: 'any' | 'live';
  ocr?: boolean;
  cache?: boolean;
  cacheDir?: string;
  /** What an item that could hold a key but was not read does; unset: the command's default. */
  unread?: UnreadMode;
}

/**
 * OCR of images. Both `--ocr` and `--no-ocr`, so either overrides the config's `ocr`;
 * given neither, the config decides, else the command (on in scan and staged, off in history).
 */
export function addOcrOptions(cmd: Command): Command {
  return cmd
    .option('--ocr', "read images with OCR, whatever the config's ocr says (default in scan and staged)")
    .option('--no-ocr', "do not read images with OCR, whatever the config's ocr says (default in history)")
    .option('--no-cache', 'do not use or fill the OCR result cache')
    .option('--cache-dir <dir>', 'where OCR results are cached (default: $XDG_CACHE_HOME/spreeflo-scan or ~/.cache/spreeflo-scan)');
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif', 'html']).default(DEFAULTS.format))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--json-output <file>', 'also write a JSON report to this file (besides the --format report)')
    .option('--sarif-output <file>', 'also write a SARIF report to this file (besides the --format report)')
    .option('--show-secrets', 'print whole keys in the report (redacted by default)')
    .option('-c, --config <file>', 'configuration file (default: .spreeflo-scan.yaml in the scanned folder)')
    .option('--ignore-file <file>', 'ignore file (default: .spreeflo-scan-ignore in the scanned folder)')
    .option('--baseline <report.json>', 'only report findings that are not in this earlier JSON report')
    .option('--strict', 'low-confidence findings fail the scan too')
    .option('--no-progress', 'never show progress on stderr')
    .option('-q, --quiet', 'print nothing when the run passes; when it fails, only the keys, the places and what to do (no progress)')
    .option('--no-color', 'no colours in the text report and on stderr (also NO_COLOR; FORCE_COLOR forces them)')
    .option('--verify', 'ask Spreeflo (Ping API) whether each key is live, and its name; sends the keys to Spreeflo only')
    .addOption(new Option('--verify-timeout <ms>', 'timeout of one Ping API request').argParser(positiveInt).default(DEFAULTS.verifyTimeout))
    .addOption(new Option('--verify-rate <n>', 'Ping API requests per second (Spreeflo allows 10)').argParser(positiveInt).default(DEFAULTS.verifyRate))
    .addOption(new Option('--verify-concurrency <n>', 'Ping API requests in flight at once').argParser(positiveInt).default(DEFAULTS.verifyConcurrency))
    .addOption(
      new Option('--unread <mode>', 'what could hold a key but was not read: fail the run, or only report it (default: fail for staged and history RANGE, report otherwise)')
        .choices(['fail', 'report']),
    )
    .addOption(
      new Option('--verify-deadline <seconds>', 'time for the whole check; keys not answered by then are unknown (default: 30 + keys ÷ rate)').argParser(
        positiveNumber,
      ),
    )
    .addOption(
      new Option('--fail-on <which>', 'exit 1 for any key, or (with --verify) only for live and plan-restricted keys')
        .choices(['any', 'live'])
        .default(DEFAULTS.failOn),
    );
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}


export function sizeOption(value: string): number {
  return parseSize(value, '--max-file-size');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
