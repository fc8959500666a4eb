// Files that steer a scan (the config, the ignore file, .gitignore, a baseline, rule
// files) are read whole, so each must be a regular file of bounded size: a FIFO would
// block the read forever and a symlink to /dev/zero would fill memory. The checks
// are made on the opened descriptor (opened without blocking), so a file swapped
// after the first look is caught too.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';
import { formatBytes } from './units.js';

export const SETTINGS_LIMITS = {
  config: 1 << 20,
  rules: 1 << 20,
  ignore: 16 << 20,
  gitignore: 16 << 20,
  baseline: 512 << 20,
} as const;

export type SettingsKind = keyof typeof SETTINGS_LIMITS;

/** The file's text; a UsageError naming `what` when it is not a regular file or is over its kind's limit. */
export function readSettingsFile(path: string, kind: SettingsKind, what: string): string {
  const limit = SETTINGS_LIMITS[kind];
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new UsageError(`${what} ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UsageError(`${what} ${path}: not a regular file (a pipe, a device or a folder is never read as settings)`);
    if (info.size > limit) throw new UsageError(`${what} ${path}: ${formatBytes(info.size)}, over the ${formatBytes(limit)} limit for this file`);
    const data = Buffer.alloc(info.size);
    let got = 0;
    while (got < data.length) {
      const n = readSync(fd, data, got, data.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return data.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
