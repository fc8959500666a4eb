// Sizes as people write them (500KB, 100MB, 1GB), for flags and the config file.
import { UsageError } from './errors.js';

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };

export function parseSize(value: unknown, what: string): number {
  if (typeof value === 'number' && value > 0) return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${what}: "${value}" is not a size (examples: 500KB, 100MB, 1GB)`);
  return Math.round(Number(m[1]) * unit);
}
