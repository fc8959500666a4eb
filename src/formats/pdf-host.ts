// PDFs are read in a thread of their own (dist/pdf-worker.js), one document at a time.
// pdf.js's parse of one manual takes 40-50 MB of heap, and V8 keeps the pages it grew
// to for the life of the thread: on the main thread that was most of a scan's peak.
// This thread has its own heap limit, and it is ended once a document leaves its heap
// large (its pages go back to the system); a document that takes the thread past its
// limit kills only the thread, and is listed as not read, its bytes still searched.
// Running from the TypeScript sources (tests), there is no worker script: PDFs are
// read in the calling thread, by the same reader.
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { bundledFile } from '../bundled.js';
import { pdfReader as inThisThread } from './pdf.js';
import type { ContainerLimits, FormatReader, Part, PartSkip, ReaderOptions, ReadResult } from './types.js';

export interface PdfRequest {
  data: Uint8Array;
  name: string;
  limits: ContainerLimits;
  opts: ReaderOptions;
}

/** A part as sent back; `data` null: the document's own bytes. */
export type SentPart = Omit<Part, 'data'> & { data: Uint8Array | null };

export interface PdfReply {
  parts: SentPart[];
  skipped: PartSkip[];
  /** The thread's V8 heap after the document (committed bytes, garbage included). */
  heapBytes: number;
}

export interface PdfThreadOptions {
  /** The worker script (dist/pdf-worker.js). */
  script: string;
  /** V8 old-generation limit of the thread, MB: past it the thread dies, and only its document is lost. */
  heapMb: number;
  /** A thread whose heap is past this after a document (MB) is ended before the next one. */
  recycleMb: number;
  /** An idle thread is ended after this long. */
  idleMs: number;
}

/**
 * Twice what the largest manual of /usr/share needs (valgrind's, 800 pages: 57 MB of heap
 * after it, and it still reads, slowly, within 48 MB). `SPREEFLO_SCAN_PDF_HEAP_MB` overrides
 * it, for tests.
 */
const HEAP_MB = Number(process.env.SPREEFLO_SCAN_PDF_HEAP_MB) || 128;
/** The heap pdf.js has once loaded, with a small document read, is about 10-20 MB; a manual leaves 30-57 MB. */
const RECYCLE_MB = 24;
const IDLE_MS = 2000;
/** The thread's young generation (MB), as the scan workers'. */
const YOUNG_MB = 8;

function memoryReason(heapMb: number): string {
  return `PDF not read: reading it took more than the ${heapMb} MB of memory the PDF reader may use`;
}

/** A reader that sends each document to the PDF thread. */
export function makePdfThreadReader(opts: PdfThreadOptions): FormatReader {
  const oneAtATime = pLimit(1);
  let thread: Worker | null = null;
  let idle: NodeJS.Timeout | null = null;

  const end = async (): Promise<void> => {
    const ending = thread;
    thread = null;
    await ending?.terminate();
  };

  const start = (): Worker => {
    const worker = new Worker(opts.script, { resourceLimits: { maxOldGenerationSizeMb: opts.heapMb, maxYoungGenerationSizeMb: YOUNG_MB } });
    // Errors are read per document (below); an idle thread's exit needs nothing.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (thread === worker) thread = null;
    });
    return worker;
  };

  /** The reply, or why the thread ended without one. */
  const ask = (worker: Worker, req: PdfRequest): Promise<PdfReply | { died: string }> =>
    new Promise((resolve) => {
      let error: Error | null = null;
      const onMessage = (reply: PdfReply): void => done(reply);
      const onError = (err: Error): void => void (error = err);
      const onExit = (code: number): void => {
        const oom = (error as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        done({ died: oom ? memoryReason(opts.heapMb) : `PDF not read: the PDF reader stopped (${error?.message ?? `exit code ${code}`})` });
      };
      const done = (result: PdfReply | { died: string }): void => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(result);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      const copy = new Uint8Array(req.data);
      worker.postMessage({ ...req, data: copy }, [copy.buffer]);
    });

  const readOne = async (data: Buffer, name: string, limits: ContainerLimits, readerOpts: ReaderOptions): Promise<ReadResult> => {
    if (idle) clearTimeout(idle);
    const worker = (thread ??= start());
    worker.ref();
    const reply = await ask(worker, { data, name, limits, opts: readerOpts });
    if ('died' in reply) {
      if (thread === worker) thread = null;
      // As for a document pdf.js cannot open: listed as not read, its bytes still searched.
      return { parts: data.length <= limits.maxEntryBytes ? [{ name: 'raw.bin', data, kind: 'text' }] : [], skipped: [{ reason: reply.died }] };
    }
    if (reply.heapBytes > opts.recycleMb * 1024 ** 2) await end();
    else {
      worker.unref();
      idle = setTimeout(() => void (thread === worker && end()), opts.idleMs);
      idle.unref();
    }
    const parts = reply.parts.map(({ data: bytes, ...part }): Part => ({ ...part, data: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : data }));
    return { parts, skipped: reply.skipped };
  };

  return {
    read: (data, name, limits, readerOpts = { pictures: true }) => oneAtATime(() => readOne(data, name, limits, readerOpts)),
  };
}

const script = bundledFile('pdf-worker.js');

export const pdfReader: FormatReader = script ? makePdfThreadReader({ script, heapMb: HEAP_MB, recycleMb: RECYCLE_MB, idleMs: IDLE_MS }) : inThisThread;
