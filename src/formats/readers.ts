// Each reader loads only when a file needs it: most scans never load a zip or PDF library.
import type { FormatReader } from './types.js';
import type { ReaderKind } from './kinds.js';

const LOADERS: Partial<Record<ReaderKind, () => Promise<FormatReader>>> = {
};

/** The reader for a kind, or null when this build has none for it. */
export async function loadReader(kind: ReaderKind): Promise<FormatReader | null> {
  const load = LOADERS[kind];
  return load ? load() : null;
}
