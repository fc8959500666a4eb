// PDFs: each page's text as a reader sees it, every embedded picture as a PNG for
// OCR, plus what a PDF carries beside its pages (document info and XMP metadata,
// link targets and form values, attached files). pdf.js (legacy build, for Node)
// does the parsing, in this thread (no worker), reading its CMaps, standard fonts
// and wasm decoders from its own folder: nothing is fetched, no font is installed,
// no script runs, nothing is rendered (no canvas is needed: pictures come decoded
// from the operator list's objects). See docs/documents.md.
import { createHash } from 'node:crypto';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { bundledFile } from '../bundled.js';
import { boundStreams } from './pdf-streams.js';
import type { ContainerLimits, FormatReader, Part, PartSkip, ReaderOptions, ReadResult } from './types.js';

type PdfjsModule = typeof Pdfjs;
type PdfDocument = Awaited<ReturnType<PdfjsModule['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Smaller pictures cannot hold a legible key (the OCR's own minimum). */
const MIN_IMAGE_WIDTH = 40;
const MIN_IMAGE_HEIGHT = 10;
/** Pictures above this are scaled down to it before OCR (the OCR refuses more). */
const MAX_IMAGE_PIXELS = 40_000_000;
/** pdf.js does not decode pictures larger than this (it drops them from the page). */
const PDFJS_MAX_IMAGE_PIXELS = 100_000_000;
/** How long to wait for pdf.js to hand over one decoded picture. */
const IMAGE_WAIT_MS = 30_000;
/** Time one PDF may take: pdf.js is then stopped and the pages not reached are listed as not read. */
const PDF_TIME_LIMIT_MS = 30_000;

/**
 * Where pdf.js is: the build copies it into dist/pdfjs/ (scripts/build.js), so users
 * install neither pdfjs-dist nor the native canvas package it depends on; running
 * from the TypeScript sources (tests), it is the devDependency in node_modules.
 */
function pdfjsFiles(): { main: string; worker: string; assets: string } {
  const bundled = bundledFile('pdfjs');
  if (bundled) return { main: join(bundled, 'pdf.min.mjs'), worker: join(bundled, 'pdf.worker.min.mjs'), assets: bundled };
  const assets = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return { main: join(assets, 'legacy/build/pdf.min.mjs'), worker: join(assets, 'legacy/build/pdf.worker.min.mjs'), assets };
}

let loading: Promise<{ pdfjs: PdfjsModule; assets: string }> | null = null;

/**
 * pdf.js takes these rendering classes from @napi-rs/canvas when Node lacks them. We
 * only extract text and embedded pictures and never render, so inert stand-ins do
 * (and where the package is installed, its native side, which indexes every system
 * font, 0.3-0.5 s of CPU, is never woken).
 */
function standInForRenderingClasses(): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of ['DOMMatrix', 'ImageData', 'Path2D']) g[name] ??= class {};
}

/**
 * An ES module by its file. The CLI's bundle runs from a V8 code cache (bin/spreeflo-scan.js),
 * whose code has no import() on Node 20: there it goes through dist/import.cjs, which Node loads.
 */
function importFile(file: string): Promise<unknown> {
  const href = pathToFileURL(file).href;
  const importer = bundledFile('import.cjs');
  return importer ? (createRequire(import.meta.url)(importer) as (href: string) => Promise<unknown>)(href) : import(href);
}

/** The rendering library pdf.js requires as it loads; never installed for users (scripts/build.js leaves it out). */
const CANVAS_PACKAGE = '@napi-rs/canvas';
/** What pdf.js prints while loading when @napi-rs/canvas is not installed. */
const NO_CANVAS_WARNING = `Warning: Cannot load "${CANVAS_PACKAGE}" package`;

/** Node's CommonJS loader, which every require() function goes through. */
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };

/**
 * Imports pdf.js's main module as users' installs have it: without @napi-rs/canvas,
 * which pdf.js requires as it loads even with the stand-ins in place. Where a checkout
 * has it, its native library (skia) added 13 MB to the resident memory of every scan
 * with a PDF, for rendering that never happens (bench/README.md, "Peak RSS: gzip
 * inflated in one piece, no canvas"). The one load-time warning its absence prints
 * would reach the user's stderr on every run with a PDF: it is dropped; every other
 * message goes through.
 */
async function importQuietly(file: string): Promise<unknown> {
  const warn = console.warn;
  const load = loader._load;
  loader._load = function (this: unknown, request, ...rest) {
    if (request === CANVAS_PACKAGE) throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    return load.call(this, request, ...rest);
  };
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith(NO_CANVAS_WARNING))) warn(...args);
  };
  try {
    return await importFile(file);
  } finally {
    loader._load = load;
    console.warn = warn;
  }
}

function loadPdfjs(): Promise<{ pdfjs: PdfjsModule; assets: string }> {
  loading ??= (async () => {
    standInForRenderingClasses();
    const files = pdfjsFiles();
    const worker = (await importFile(files.worker)) as { WorkerMessageHandler: unknown };
    // pdf.js runs its "worker" in this thread when it finds this global: no Worker, no import by URL.
    const g = globalThis as { pdfjsWorker?: unknown };
    g.pdfjsWorker ??= worker;
    const pdfjs = (await importQuietly(files.main)) as PdfjsModule;
    return { pdfjs, assets: files.assets };
  })();
  loading.catch(() => (loading = null));
  return loading;
}

function message(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err && typeof err.message === 'string' && err.message) return err.message;
  return String(err);
}

/** Counts parts and bytes against the container limits; says why it stopped. */
class Budget {
  entries = 0;
  bytes = 0;
  stopped: string | null = null;

  constructor(private readonly limits: ContainerLimits) {}

  /** Whether one more part of `size` bytes fits; records why not. */
  take(size: number): boolean {
    if (this.stopped) return false;
    if (this.entries + 1 > this.limits.maxEntries) {
      this.stopped = `limit of ${this.limits.maxEntries} entries reached`;
      return false;
    }
    if (this.bytes + size > this.limits.maxTotalBytes) {
      this.stopped = `limit of ${this.limits.maxTotalBytes} bytes reached`;
      return false;
    }
    this.entries++;
    this.bytes += size;
    return true;
  }
}

interface TextItemLike {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

function isTextItem(x: unknown): x is TextItemLike {
  return typeof x === 'object' && x !== null && typeof (x as TextItemLike).str === 'string' && Array.isArray((x as TextItemLike).transform);
}

/**
 * A page's text the way a reader sees it: items on one line run together (a key
 * drawn as several pieces comes out whole), a space only where there is a gap
 * on the page (pdf.js already inserts most of them), a line break where pdf.js
 * marks the end of a line or the text moves to another line.
 */
export function joinTextItems(items: readonly unknown[]): string {
  let out = '';
  let prev: TextItemLike | null = null;
  for (const item of items) {
    if (!isTextItem(item)) continue;
    if (prev && out.length > 0 && !out.endsWith('\n') && item.str !== '') {
      const [a, b, c, d, x, y] = item.transform as [number, number, number, number, number, number];
      const [pa, pb, pc, pd, px, py] = prev.transform as [number, number, number, number, number, number];
      const upright = Math.abs(b) < 1e-6 && Math.abs(c) < 1e-6 && Math.abs(pb) < 1e-6 && Math.abs(pc) < 1e-6 && a > 0 && d > 0 && pa > 0 && pd > 0;
      if (upright) {
        const size = Math.max(item.height, prev.height, Math.abs(d), Math.abs(pd), 1);
        const gap = x - (px + prev.width);
        if (Math.abs(y - py) > size * 0.5 || gap < -size) out += '\n';
        else if (gap > size * 0.25 && !/\s$/.test(out) && !/^\s/.test(item.str)) out += ' ';
      }
    }
    out += item.str;
    if (item.hasEOL) out += '\n';
    if (item.str !== '') prev = item;
  }
  return out;
}

/**
 * Runs of key characters that line breaks cut into pieces (a key wrapped in a
 * narrow table cell), joined back: every sequence of two or more consecutive
 * pieces, up to a key's length or so, one per line. A run that fits on one line
 * is not repeated here, so nothing is reported twice.
 */
export function wrappedRuns(text: string): string {
  const MAX = 64;
  const out: string[] = [];
  let pieces: string[] = [];
  const flush = (): void => {
    for (let i = 0; i + 1 < pieces.length; i++) {
      let joined = pieces[i]!;
      for (let j = i + 1; j < pieces.length && joined.length + pieces[j]!.length <= MAX; j++) {
        joined += pieces[j]!;
        out.push(joined);
      }
    }
    pieces = [];
  };
  for (const line of text.split('\n')) {
    const head = /^[0-9A-Za-z_-]+/.exec(line)?.[0] ?? '';
    if (!head) flush();
    else if (pieces.length) pieces.push(head);
    if (head.length !== line.length || !pieces.length) {
      flush();
      const tail = /[0-9A-Za-z_-]+$/.exec(line)?.[0];
      if (tail) pieces.push(tail);
    }
  }
  flush();
  return [...new Set(out)].join('\n');
}

interface Picture {
  width: number;
  height: number;
  /** 1: 1 bit per pixel (rows padded to bytes), 2: RGB, 3: RGBA. Masks are 1-bit. */
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

function asPicture(x: unknown, mask: boolean): Picture | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as { width?: unknown; height?: unknown; kind?: unknown; data?: unknown };
  if (typeof o.width !== 'number' || typeof o.height !== 'number') return null;
  if (!(o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray)) return null;
  const kind = mask ? 1 : typeof o.kind === 'number' ? o.kind : 0;
  const need = kind === 1 ? ((o.width + 7) >> 3) * o.height : kind === 2 ? o.width * o.height * 3 : kind === 3 ? o.width * o.height * 4 : -1;
  if (need < 0 || o.data.length < need) return null;
  return { width: o.width, height: o.height, kind, data: o.data };
}

/** Raw pixels as sharp takes them: 1-bit pictures become 8-bit grey (polarity does not matter to the OCR). */
function rawPixels(p: Picture): { data: Buffer; channels: 1 | 3 | 4 } {
  if (p.kind === 2) return { data: Buffer.from(p.data.buffer, p.data.byteOffset, p.width * p.height * 3), channels: 3 };
  if (p.kind === 3) return { data: Buffer.from(p.data.buffer, p.data.byteOffset, p.width * p.height * 4), channels: 4 };
  const grey = Buffer.alloc(p.width * p.height);
  const stride = (p.width + 7) >> 3;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      grey[y * p.width + x] = (p.data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
    }
  }
  return { data: grey, channels: 1 };
}

async function toPng(p: Picture): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const { data, channels } = rawPixels(p);
  let img = sharp(data, { raw: { width: p.width, height: p.height, channels }, limitInputPixels: false });
  if (channels === 4) img = img.flatten({ background: '#ffffff' });
  if (p.width * p.height > MAX_IMAGE_PIXELS) {
    const f = Math.sqrt(MAX_IMAGE_PIXELS / (p.width * p.height));
    img = img.resize(Math.max(1, Math.floor(p.width * f)), Math.max(1, Math.floor(p.height * f)));
  }
  return img.png({ compressionLevel: 3 }).toBuffer();
}

/** A decoded picture from pdf.js's object stores; null if it never arrives or failed to decode. */
function fetchObject(page: PdfPage, id: string): Promise<unknown> {
  const store = id.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), IMAGE_WAIT_MS);
    timer.unref?.();
    try {
      store.get(id, (data: unknown) => {
        clearTimeout(timer);
        resolve(data);
      });
    } catch {
      clearTimeout(timer);
      resolve(null);
    }
  });
}

interface PictureRef {
  /** pdf.js object id (shared pictures keep theirs across pages), or null for inline pictures. */
  id: string | null;
  mask: boolean;
  inline?: unknown;
}

/** The pictures a page paints, in order, from its operator list. */
async function pagePictures(pdfjs: PdfjsModule, page: PdfPage): Promise<PictureRef[]> {
  const { OPS } = pdfjs;
  const ops = await page.getOperatorList();
  const refs: PictureRef[] = [];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const arg = (ops.argsArray[i] as unknown[] | null)?.[0];
    if (fn === OPS.paintImageXObject || fn === OPS.paintImageXObjectRepeat) {
      if (typeof arg === 'string') refs.push({ id: arg, mask: false });
    } else if (fn === OPS.paintInlineImageXObject || fn === OPS.paintInlineImageXObjectGroup) {
      refs.push({ id: null, mask: false, inline: arg });
    } else if (fn === OPS.paintImageMaskXObject || fn === OPS.paintImageMaskXObjectRepeat) {
      // A stencil painted in the fill colour: scanned pages are often just this.
      const data = (arg as { data?: unknown } | undefined)?.data;
      if (typeof data === 'string') refs.push({ id: data, mask: true });
      else refs.push({ id: null, mask: true, inline: arg });
    }
  }
  return refs;
}

/** Text a page carries outside its content: link targets, form values, comments. */
async function annotationText(page: PdfPage): Promise<string> {
  const lines: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v.trim()) lines.push(v);
    else if (Array.isArray(v)) for (const x of v) add(x);
  };
  for (const a of (await page.getAnnotations()) as Record<string, unknown>[]) {
    add(a.url);
    add(a.unsafeUrl);
    add(a.fieldValue);
    add(a.alternativeText);
    add((a.contentsObj as { str?: unknown } | undefined)?.str);
    add((a.titleObj as { str?: unknown } | undefined)?.str);
    add(a.textContent);
    // Scripts run by links and form fields ({ Action: [source], … }).
    if (a.actions && typeof a.actions === 'object') add(Object.values(a.actions as Record<string, unknown>));
  }
  return [...new Set(lines)].join('\n');
}

/** Entries pdf.js adds to the document info itself (the version, flags): not the document's text. */
const COMPUTED_INFO = new Set(['PDFFormatVersion', 'Language', 'EncryptFilterName', 'IsLinearized', 'IsAcroFormPresent', 'IsXFAPresent', 'IsCollectionPresent', 'IsSignaturesPresent']);

function infoText(value: unknown, depth = 0): string[] {
  if (depth > 3 || value === null || value === undefined) return [];
  if (typeof value === 'string') return value.trim() ? [value] : [];
  if (typeof value === 'object') {
    const name = (value as { name?: unknown }).name;
    if (typeof name === 'string') return [name];
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (depth === 0 && COMPUTED_INFO.has(k) ? [] : infoText(v, depth + 1)));
  }
  return [];
}

class TimeUp extends Error {}

/** One deadline for a whole document, raced against each call into pdf.js (which yields to timers, and stops when destroyed). */
function deadline(ms: number): { within<T>(work: Promise<T>): Promise<T>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeUp()), ms);
  });
  expired.catch(() => undefined);
  return { within: (work) => Promise.race([work, expired]), clear: () => clearTimeout(timer) };
}

/** A failure's message; the deadline is not a failure of one part and goes on up. */
function failed(err: unknown): string {
  if (err instanceof TimeUp) throw err;
  return message(err);
}

const pagesFrom = (n: number, count: number): string => (n === count ? `page ${n}` : `pages ${n}-${count}`);

const ENCRYPTED = 'encrypted PDF (a password is needed to open it): not read';

class NoObjects extends Error {}

function failureReason(pdfjs: PdfjsModule | null, err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') return ENCRYPTED;
  if (err instanceof NoObjects) return 'corrupt PDF (no objects in it): not read';
  if (pdfjs && err instanceof pdfjs.InvalidPDFException) return `corrupt PDF (${message(err)}): not read`;
  return `PDF not read: ${message(err)}`;
}

/**
 * Whether the bytes hold a picture XObject's dictionary (`/Subtype /Image`): never
 * inside an object stream, since a picture is a stream itself.
 */
function hasPictures(data: Buffer): boolean {
  for (let at = data.indexOf('/Image'); at !== -1; at = data.indexOf('/Image', at + 6)) {
    if (/\/Subtype\s*$/.test(data.toString('latin1', Math.max(0, at - 16), at)) && !/[A-Za-z]/.test(String.fromCharCode(data[at + 6] ?? 0x20))) return true;
  }
  return false;
}

/** With OCR off, a PDF's pictures are listed, once, instead of decoded (pdf.js and sharp held tens of MB per document for them). */
const PICTURES_NOT_DECODED: PartSkip = { entry: 'pictures', reason: 'pictures not decoded (OCR is off)', unreadContent: false };

async function readPdf(pdfjs: PdfjsModule, assets: string, data: Buffer, limits: ContainerLimits, timeLimitMs: number, pictures: boolean, out: ReadResult): Promise<void> {
  const task = pdfjs.getDocument({
    // A copy: pdf.js transfers (detaches) the buffer it is given.
    data: new Uint8Array(data),
    // No fonts are loaded or installed, no code is evaluated, nothing is fetched or streamed.
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    useWorkerFetch: false,
    stopAtErrors: false,
    maxImageSize: PDFJS_MAX_IMAGE_PIXELS,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    // Read from disk, from pdf.js's own folder (text in CID fonts needs the CMaps; JPX/JBIG2 pictures the wasm).
    cMapUrl: join(assets, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(assets, 'standard_fonts') + '/',
    wasmUrl: join(assets, 'wasm') + '/',
  });
  let doc: PdfDocument;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw err;
  }
  const clock = deadline(timeLimitMs);
  let n = 1;
  try {
    const budget = new Budget(limits);
    const add = (part: Part): boolean => {
      if (part.data.length > limits.maxEntryBytes) {
        out.skipped.push({ ...(part.entry ? { entry: part.entry } : {}), reason: `larger than ${limits.maxEntryBytes} bytes: not read` });
        return true;
      }
      if (!budget.take(part.data.length)) return false;
      out.parts.push(part);
      return true;
    };

    // Beside the pages: document info, XMP metadata, attached files.
    try {
      const meta = await clock.within(doc.getMetadata());
      const text = [...infoText(meta.info), ...(meta.metadata ? [meta.metadata.getRaw?.() ?? ''] : [])].filter(Boolean).join('\n');
      if (text) add({ name: 'metadata.txt', entry: 'metadata', data: Buffer.from(text, 'utf8'), kind: 'text' });
    } catch (err) {
      out.skipped.push({ entry: 'metadata', reason: `not read: ${failed(err)}` });
    }
    try {
      const files = ((await clock.within(doc.getAttachments())) ?? {}) as Record<string, { filename?: string; content?: Uint8Array }>;
      for (const [key, file] of Object.entries(files)) {
        const filename = file.filename || key;
        if (!file.content) continue;
        const entry = `attachment ${filename}`;
        if (!add({ name: filename, entry, data: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.length), kind: 'auto' })) {
          out.skipped.push({ entry, reason: `${budget.stopped}: not read` });
        }
      }
    } catch (err) {
      out.skipped.push({ entry: 'attachments', reason: `not read: ${failed(err)}` });
    }

    if (!pictures && hasPictures(data)) out.skipped.push(PICTURES_NOT_DECODED);
    const seen = new Set<string>();
    const leftOut = (n: number): void => {
      out.skipped.push({ entry: pagesFrom(n, doc.numPages), reason: `${budget.stopped}: not read` });
    };
    for (; n <= doc.numPages; n++) {
      if (budget.stopped) {
        leftOut(n);
        break;
      }
      const entry = `page ${n}`;
      let page: PdfPage;
      try {
        page = await clock.within(doc.getPage(n));
      } catch (err) {
        out.skipped.push({ entry, reason: `page not read: ${failed(err)}` });
        continue;
      }
      try {
        let text = '';
        try {
          text = joinTextItems((await clock.within(page.getTextContent())).items);
        } catch (err) {
          out.skipped.push({ entry, reason: `text not read: ${failed(err)}` });
        }
        try {
          const extra = await clock.within(annotationText(page));
          if (extra) text += (text && !text.endsWith('\n') ? '\n' : '') + extra;
        } catch (err) {
          failed(err); // Annotations are extra: a broken one does not cost the page.
        }
        if (text && !add({ name: `page-${n}.txt`, entry, page: n, data: Buffer.from(text, 'utf8'), kind: 'text' })) {
          leftOut(n);
          break;
        }
        const wrapped = wrappedRuns(text);
        if (wrapped) add({ name: `page-${n}-wrapped.txt`, entry: `${entry} (wrapped lines joined)`, page: n, data: Buffer.from(wrapped, 'utf8'), kind: 'text' });

        let refs: PictureRef[] = [];
        try {
          if (pictures) refs = await clock.within(pagePictures(pdfjs, page));
        } catch (err) {
          out.skipped.push({ entry, reason: `pictures not read: ${failed(err)}` });
        }
        let count = 0;
        for (const ref of refs) {
          if (budget.stopped) break;
          if (ref.id !== null) {
            if (seen.has(ref.id)) continue; // the same picture painted again (a logo on every page)
            seen.add(ref.id);
          }
          const picture = asPicture(ref.id !== null ? await clock.within(fetchObject(page, ref.id)) : ref.inline, ref.mask);
          if (!picture || picture.width < MIN_IMAGE_WIDTH || picture.height < MIN_IMAGE_HEIGHT) continue;
          const hash = createHash('sha1').update(picture.data).digest('hex');
          if (seen.has(hash)) continue;
          seen.add(hash);
          count++;
          const imageEntry = `${entry} image ${count}`;
          let png: Buffer;
          try {
            png = await toPng(picture);
          } catch (err) {
            out.skipped.push({ entry: imageEntry, reason: `picture not converted: ${message(err)}` });
            continue;
          }
          if (!add({ name: `page-${n}-image-${count}.png`, entry: imageEntry, page: n, data: png, kind: 'image' })) {
            out.skipped.push({ entry: imageEntry, reason: `${budget.stopped}: not read` });
          }
        }
      } finally {
        page.cleanup();
      }
    }
  } catch (err) {
    if (!(err instanceof TimeUp)) throw err;
    out.skipped.push({ entry: pagesFrom(Math.min(n, doc.numPages), doc.numPages), reason: `time limit of ${timeLimitMs / 1000} s reached: not read` });
  } finally {
    clock.clear();
    await doc.destroy().catch(() => undefined);
  }
}

/**
 * Whether the bytes hold an indirect object (`12 0 obj`) anywhere. pdf.js rebuilds
 * a broken cross-reference table from these; with none there is nothing to
 * rebuild, and loading pdf.js (~0.2 s) only to hear so is not worth it.
 */
function hasObject(data: Buffer): boolean {
  for (let at = data.indexOf('obj'); at !== -1; at = data.indexOf('obj', at + 3)) {
    if (/\d+\s+\d+\s*$/.test(data.toString('latin1', Math.max(0, at - 24), at))) return true;
  }
  return false;
}

/** A PDF reader that gives each document `timeLimitMs` (tests shorten it). */
export const makePdfReader = (timeLimitMs: number): FormatReader => ({
  async read(data: Buffer, _name: string, limits: ContainerLimits, opts: ReaderOptions = { pictures: true }): Promise<ReadResult> {
    const out: ReadResult = { parts: [], skipped: [] };
    let pdfjs: PdfjsModule | null = null;
    try {
      if (!hasObject(data)) throw new NoObjects();
      const loaded = await loadPdfjs();
      pdfjs = loaded.pdfjs;
      // Streams that expand past the limits are blanked first: pdf.js has no bound of its own.
      const bounded = await boundStreams(data, limits);
      out.skipped.push(...bounded.skipped);
      await readPdf(pdfjs, loaded.assets, bounded.data, limits, timeLimitMs, opts.pictures, out);
    } catch (err) {
      const skip: PartSkip = { reason: failureReason(pdfjs, err) };
      out.skipped.push(skip);
      // Not readable as a PDF: its bytes are still searched, as for any file.
      if (out.parts.length === 0 && data.length <= limits.maxEntryBytes) out.parts.push({ name: 'raw.bin', data, kind: 'text' });
    }
    return out;
  },
});

export const pdfReader = makePdfReader(PDF_TIME_LIMIT_MS);
