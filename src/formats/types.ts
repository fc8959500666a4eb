// Readers open containers (archives, documents, videos) into parts the scanner
// already knows how to read: text for the detector, pictures for OCR, or further
// containers. A new format is one new reader module.

export interface TimeRange {
  /** Seconds from the start of a video. */
  start: number;
  end: number;
}

export interface Part {
  /** The part's own name (decides how it is read when `kind` is 'auto'). */
  name: string;
  /** Where it is inside its container: an entry path (`app/.env`), a document part. */
  entry?: string;
  /** 1-based page of a PDF or slide of a deck. */
  page?: number;
  time?: TimeRange;
  data: Buffer;
  /** text: the detector; image: OCR (and the detector on its bytes); auto: by name, containers opened again. */
  kind: 'text' | 'image' | 'auto';
}

export interface PartSkip {
  entry?: string;
  reason: string;
  /** false: nothing there could hold a key (a link, a truncated tail); absent: content went unread. */
  unreadContent?: false;
}

export interface ReadResult {
  parts: Part[];
  /** What could not be read, and why (a corrupt entry, a limit reached). */
  skipped: PartSkip[];
}

/** Bounds against zip bombs and runaway nesting; every reader honours them. */
export interface ContainerLimits {
  /** Containers inside containers, counting the file itself as depth 1. */
  maxDepth: number;
  /** Entries of one file's containers, nesting included. */
  maxEntries: number;
  /**
   * Uncompressed bytes one file's containers may expand to, nesting included (a reader
   * is given what is left of it). A zip's entries are all in memory at once, so this
   * bounds memory (a tar's are read one at a time).
   */
  maxTotalBytes: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
}

export interface ReaderOptions {
  /**
   * Pictures are OCR'd. When not, a reader that must decode a picture to hand it over
   * (a PDF's) lists it instead: decoded pixels hold no text for the detector.
   */
  pictures: boolean;
}

/** What reading one part used of the file's limits beyond the part itself: the containers nested in it. */
export interface Used {
  entries: number;
  bytes: number;
}

/** Reads one part of a streamed container; the reader waits for it before reading the next. */
export type PartSink = (part: Part) => Promise<Used>;

export interface FormatReader {
  /** Never throws: what cannot be read becomes a skipped entry with the reason. */
  read(data: Buffer, name: string, limits: ContainerLimits, opts?: ReaderOptions): Promise<ReadResult>;
  /**
   * The same, with the parts read entry by entry handed to `each` as they are read and
   * dropped before the next, so a container costs one entry of memory, not all of them
   * (a tar of 186 logs held 61 MB at once). What `each` says the nested containers used
   * counts against this container's limits. Parts it could not stream are returned.
   */
  stream?(data: Buffer, name: string, limits: ContainerLimits, each: PartSink): Promise<ReadResult>;
}

/** The limits of what is inflated outside a container reader (a PNG's deflated text chunks, a plain gzip's content): a file's. */
export type InflateLimits = Pick<ContainerLimits, 'maxEntryBytes' | 'maxTotalBytes'>;

export const DEFAULT_LIMITS: ContainerLimits = {
  maxDepth: 3,
  maxEntries: 10_000,
  maxTotalBytes: 256 * 1024 ** 2,
  maxEntryBytes: 256 * 1024 ** 2,
};
