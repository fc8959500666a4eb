// The library API (`import { scanFiles } from 'spreeflo-scan'`): the three scanning commands
// as functions that print nothing and resolve to the JSON report's object. Options mirror the
// command line's flags; what only shapes the exit code (--strict, --fail-on, --unread) is left
// to the caller, who has the report. Types here and in report-types.ts are the published ones
// (dist/index.d.ts is made from this file), so every exported function spells its types out.
import type { Report } from './report/report-types.js';
import type { CommonOptions } from './cli/flags.js';
import type { ScanResult } from './scan/pipeline.js';
import type { ScanSetup } from './cli/options.js';
import { DEFAULTS } from './cli/defaults.js';
import { reportView } from './cli/emit.js';
import { rootsOf, scanRoots } from './cli/scan-command.js';
import { scanStaged as stagedScan } from './cli/staged-command.js';
import { scanHistory as historyScan } from './cli/history-command.js';
import { startStagedGit } from './git/staged-start.js';
import { jsonReport } from './report/json.js';
import { owned } from './scan/stall.js';
import { parseSize } from './units.js';

export type { Report, ReportFinding, ReportKey, ReportPlace, ReportSkipped, ReportSuppressed } from './report/report-types.js';
export type { Confidence, SourceKind, Verification, VerificationStatus } from './model.js';
export { SCHEMA_VERSION } from './report/report-types.js';

/** What every scan takes; paths are relative to the current folder. */
export interface CommonScanOptions {
  /** `--config`: default `.spreeflo-scan.yaml` in the scanned folder (the repository for staged and history). */
  config?: string;
  /** `--ignore-file`: default `.spreeflo-scan-ignore` there. */
  ignoreFile?: string;
  /** `--baseline`: an earlier JSON report; its findings are suppressed. */
  baseline?: string;
  /** `--show-secrets`: whole keys in `key` fields and names. Default false: redacted. */
  showSecrets?: boolean;
  /** OCR of pictures: default true for files and staged, false for history. */
  ocr?: boolean;
  /** `--no-cache` is `cache: false`. */
  cache?: boolean;
  cacheDir?: string;
  /** `--verify`: ask Spreeflo's Ping API whether each key is live (sends the keys to Spreeflo only). */
  verify?: boolean;
  /** Milliseconds for one Ping API request (default 10000). */
  verifyTimeout?: number;
  /** Ping API requests per second (default 9). */
  verifyRate?: number;
  /** Ping API requests in flight (default 8). */
  verifyConcurrency?: number;
  /** Seconds for the whole check (default 30 + keys ÷ rate). */
  verifyDeadline?: number;
}

export interface ScanFilesOptions extends CommonScanOptions {
  include?: string[];
  exclude?: string[];
  gitignore?: boolean;
  followSymlinks?: boolean;
  includeDeps?: boolean;
  /** Bytes, or a size as the flag takes it (`100MB`). */
  maxFileSize?: number | string;
}

export interface ScanStagedOptions extends CommonScanOptions {
  /** A folder in the repository (default: the current folder). */
  cwd?: string;
  /** Whole staged files, not only the lines the commit adds. */
  allStaged?: boolean;
}

export interface ScanHistoryOptions extends CommonScanOptions {
  /** A folder in the repository (default: the current folder). */
  cwd?: string;
  /** A revision range (`origin/main..HEAD`); default: everything reachable from all refs. */
  range?: string;
  maxFileSize?: number | string;
}

/** The command line's options for a library call: JSON, no progress, the flags' defaults. */
function commandOptions(options: CommonScanOptions, ocrByDefault: boolean): CommonOptions {
  return {
    ...DEFAULTS,
    ...options,
    format: 'json',
    progress: false,
    ocr: options.ocr ?? ocrByDefault,
  };
}

function sizeOf(value: number | string | undefined): { maxFileSize?: number } {
  return value === undefined ? {} : { maxFileSize: parseSize(value, 'maxFileSize') };
}

/** The JSON report of a finished scan; a scan that can never finish rejects instead of hanging. */
async function reportOf(work: Promise<{ result: ScanResult; setup: ScanSetup }>, showSecrets: boolean | undefined): Promise<Report> {
  const { result, setup } = await owned('the scan', work, { outer: true });
  return jsonReport(result, { showSecrets: showSecrets === true, ...reportView(setup.rules, showSecrets === true) });
}

/** `spreeflo-scan scan PATHS…`: files and folders (default: the current folder). */
export function scanFiles(paths: string | string[] = [], options: ScanFilesOptions = {}): Promise<Report> {
  const opts = { ...commandOptions(options, true), ...sizeOf(options.maxFileSize) };
  return reportOf(
    Promise.resolve().then(() => scanRoots(rootsOf(typeof paths === 'string' ? [paths] : paths), opts)),
    options.showSecrets,
  );
}

/** `spreeflo-scan staged`: what is staged for the next commit, with the settings HEAD approved. */
export function scanStaged(options: ScanStagedOptions = {}): Promise<Report> {
  const opts = { ...commandOptions(options, true), allStaged: options.allStaged === true };
  return reportOf(
    Promise.resolve().then(() => stagedScan(opts, startStagedGit(options.cwd ?? process.cwd()))),
    options.showSecrets,
  );
}

/** `spreeflo-scan history [RANGE]`: git history, all of it or a range's commits. */
export function scanHistory(options: ScanHistoryOptions = {}): Promise<Report> {
  const opts = { ...commandOptions(options, false), ...sizeOf(options.maxFileSize) };
  return reportOf(
    Promise.resolve().then(() => historyScan(options.range, opts, options.cwd ?? process.cwd())),
    options.showSecrets,
  );
}
