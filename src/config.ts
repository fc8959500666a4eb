// The user's configuration file (.spreeflo-scan.yaml) and the ignore file, read
// and checked once; a mistake in either is a usage error (exit 2), never ignored.
import { readSettingsFile } from './settings-file.js';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { foldersUpTo, workTreeTop } from './paths.js';
import { parseSize } from './units.js';
import { closest } from './edit-distance.js';
import type { UnreadMode } from './model.js';

export const CONFIG_NAMES = ['.spreeflo-scan.yaml', '.spreeflo-scan.yml'];
export const IGNORE_FILE_NAME = '.spreeflo-scan-ignore';

export interface InventoryEntry {
  name: string;
  last4: string;
}

export interface Config {
  /** The file it came from, or null for defaults. */
  file: string | null;
  /** Extra rule files or folders, absolute. */
  rules: string[];
  include: string[];
  exclude: string[];
  allow: { keys: string[]; paths: string[]; fingerprints: string[] };
  maxFileSize: number;
  inventory: InventoryEntry[];
  gitignore: boolean;
  followSymlinks: boolean;
  /** `scan` reads dependency folders (node_modules, …) too. */
  includeDeps: boolean;
  /** What unread content does; null: the command's default. */
  unread: UnreadMode | null;
  /** Read pictures with OCR; null: the command's default (on in scan and staged, off in history). */
  ocr: boolean | null;
}

/** Every setting the file may hold, as the README's Configuration section lists them (a test holds the two equal). */
export const CONFIG_KEYS = ['rules', 'include', 'exclude', 'gitignore', 'followSymlinks', 'includeDeps', 'maxFileSize', 'ocr', 'unread', 'allow', 'inventory'] as const;
export const ALLOW_KEYS = ['keys', 'paths', 'fingerprints'] as const;
export const DEFAULT_MAX_FILE_SIZE = 1024 ** 3;

export function defaultConfig(): Config {
  return {
    file: null,
    rules: [],
    include: [],
    exclude: [],
    allow: { keys: [], paths: [], fingerprints: [] },
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    inventory: [],
    gitignore: false,
    followSymlinks: false,
    includeDeps: false,
    unread: null,
    ocr: null,
  };
}

/** A value as an error message quotes it: short, one line. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Names in `raw` that `known` lacks, as an error: each quoted, with the nearest known name when one is close (a typo). */
function checkNames(raw: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (!unknown.length) return;
  const named = unknown.map((k) => {
    const near = closest(k, known);
    return near ? `"${k}" (did you mean "${near}"?)` : `"${k}"`;
  });
  throw new UsageError(`${what}: unknown setting${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; known: ${known.join(', ')}`);
}

function bool(raw: unknown, what: string): boolean | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'boolean') throw new UsageError(`${what} must be true or false, not ${shown(raw)}`);
  return raw;
}

function stringList(raw: unknown, what: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) throw new UsageError(`${what} must be a list of strings, not ${shown(raw)}`);
  return raw as string[];
}

function inventoryList(raw: unknown, file: string): InventoryEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new UsageError(`${file}: inventory must be a list of {name, last4}`);
  return raw.map((item, i) => {
    const name = item?.name;
    const last4 = item?.last4 === undefined ? undefined : String(item.last4);
    if (typeof name !== 'string' || !last4 || last4.length !== 4) {
      throw new UsageError(`${file}: inventory[${i}] needs a name and the key's last four characters (never the whole key)`);
    }
    return { name, last4 };
  });
}

/**
 * The nearest settings file of one of `names`: in `start` or the first folder above it
 * that has one, up to the top of its git work tree (outside a repository, `start`
 * only: a file in a home folder must not steer every scan below it). Nearest wins,
 * nothing merges: a package's own file replaces the repository's, as a whole.
 */
function findNearest(start: string, names: readonly string[]): string | null {
  for (const dir of foldersUpTo(start, workTreeTop(start))) {
    for (const name of names) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return null;
}

export function findConfigFile(start: string): string | null {
  return findNearest(start, CONFIG_NAMES);
}

export function findIgnoreFile(start: string): string | null {
  return findNearest(start, [IGNORE_FILE_NAME]);
}

export async function loadConfig(file: string | null): Promise<Config> {
  if (!file) return defaultConfig();
  if (!existsSync(file)) throw new UsageError(`config file not found: ${file}`);
  return parseConfig(readSettingsFile(file, 'config', 'config file'), file, dirname(resolve(file)));
}

/**
 * A config file's text. `file` names it in errors and reports (a path, or
 * `HEAD:.spreeflo-scan.yaml` when read from git); `base` is the folder its rule paths
 * are relative to.
 */
export async function parseConfig(text: string, file: string, base: string): Promise<Config> {
  const config = defaultConfig();
  // Loaded only when there is a config file: most runs never pay for the parser.
  const { parse: parseYaml } = await import('yaml');
  let raw: any;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new UsageError(`config file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`config file ${file}: expected a mapping at the top`);
  checkNames(raw, CONFIG_KEYS, `config file ${file}`);
  const allow = raw.allow ?? {};
  if (typeof allow !== 'object' || Array.isArray(allow)) throw new UsageError(`${file}: allow must be a mapping of keys, paths and fingerprints, not ${shown(allow)}`);
  checkNames(allow, ALLOW_KEYS, `config file ${file}: allow`);
  config.file = file;
  config.rules = stringList(raw.rules, `${file}: rules`).map((r) => (isAbsolute(r) ? r : resolve(base, r)));
  config.include = stringList(raw.include, `${file}: include`);
  config.exclude = stringList(raw.exclude, `${file}: exclude`);
  config.allow = {
    keys: stringList(allow.keys, `${file}: allow.keys`).map((k) => k.toLowerCase()),
    paths: stringList(allow.paths, `${file}: allow.paths`),
    fingerprints: stringList(allow.fingerprints, `${file}: allow.fingerprints`),
  };
  const badKey = config.allow.keys.find((k) => !/^[0-9a-f]{64}$/.test(k));
  if (badKey) throw new UsageError(`${file}: allow.keys takes SHA-256 hashes of keys (keySha256 in the JSON report), not keys`);
  if (raw.maxFileSize !== undefined) config.maxFileSize = parseSize(raw.maxFileSize, `${file}: maxFileSize`);
  config.inventory = inventoryList(raw.inventory, file);
  config.gitignore = bool(raw.gitignore, `${file}: gitignore`) ?? false;
  config.followSymlinks = bool(raw.followSymlinks, `${file}: followSymlinks`) ?? false;
  config.includeDeps = bool(raw.includeDeps, `${file}: includeDeps`) ?? false;
  config.ocr = bool(raw.ocr, `${file}: ocr`);
  if (raw.unread !== undefined && raw.unread !== 'fail' && raw.unread !== 'report') throw new UsageError(`${file}: unread must be fail or report, not ${shown(raw.unread)}`);
  config.unread = raw.unread ?? null;
  return config;
}

export interface IgnoreList {
  file: string | null;
  fingerprints: Set<string>;
  paths: string[];
}

/**
 * The ignore file: one entry a line, `#` starts a comment. A line of 64 hex digits
 * (optionally followed by `:path...`) is a fingerprint from a report; anything else
 * is a path glob.
 */
export function loadIgnoreFile(file: string | null): IgnoreList {
  return parseIgnoreFile(file && existsSync(file) ? readSettingsFile(file, 'ignore', 'ignore file') : '', file);
}

/**
 * Path globs an ignore file may hold. Each is compiled to a matcher that every path is
 * tried against: 100,000 took a minute and 2 GB before the scan began. Fingerprints
 * are looked up in a set, and any number of them is fine.
 */
export const MAX_IGNORE_GLOBS = 5000;

/** An ignore file's text; `file` names it (a path, or `HEAD:.spreeflo-scan-ignore`). */
export function parseIgnoreFile(text: string, file: string | null): IgnoreList {
  const list: IgnoreList = { file, fingerprints: new Set(), paths: [] };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    if (/^[0-9a-f]{64}(:|$)/i.test(line)) list.fingerprints.add(line);
    else list.paths.push(line);
  }
  if (list.paths.length > MAX_IGNORE_GLOBS) {
    throw new UsageError(
      `${file ?? 'ignore file'}: ${list.paths.length} path globs, over the limit of ${MAX_IGNORE_GLOBS}; list folders (\`build/\`) or wider globs instead of single files, or fingerprints (any number)`,
    );
  }
  return list;
}
