// Each reader loads only when a file needs it: most scans never load a zip or PDF library.
import type { FormatReader } from './types.js';
import type { ReaderKind } from './kinds.js';

const LOADERS: Record<ReaderKind, () => Promise<FormatReader>> = {
  zip: async () => (await import('./archive.js')).zipReader,
  tar: async () => (await import('./archive.js')).tarReader,
  gzip: async () => (await import('./archive.js')).gzipReader,
  office: async () => (await import('./office.js')).officeReader,
  pdf: async () => (await import('./pdf.js')).pdfReader,
  video: async () => (await import('./video.js')).videoReader,
  html: async () => (await import('./html.js')).htmlReader,
};

export async function loadReader(kind: ReaderKind): Promise<FormatReader> {
  return LOADERS[kind]();
}
