// tesseract.js workers, set up to run fully offline: the language data comes
// from the @tesseract.js-data/eng package in node_modules, the WebAssembly core
// from tesseract.js-core, and nothing is written to or read from a download cache.
// Two engines: the LSTM (every read) and tesseract's legacy classifier (a few
// close-ups of keys the LSTM reads did not settle: it makes different mistakes).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Which traineddata: `4.0.0_best_int` (tessdata_best, integerised) reads keys best. */
export const MODEL = '4.0.0_best_int';
/** tessdata (standard): the only one of the package's models that holds the legacy engine's data. */
export const LEGACY_MODEL = '4.0.0';

export function langPath(model = MODEL): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), model);
}

export function engineVersion(): string {
  const tess = require('tesseract.js/package.json') as { version: string };
  const data = require('@tesseract.js-data/eng/package.json') as { version: string };
  return `tesseract.js@${tess.version}+eng@${data.version}/${MODEL}+${LEGACY_MODEL}`;
}

/** Options that keep tesseract.js from touching the network or a cache folder. */
export function workerOptions(model = MODEL): Record<string, unknown> {
  return {
    // A local folder: tesseract.js reads `${langPath}/eng.traineddata.gz` from disk.
    langPath: langPath(model),
    gzip: true,
    // No read or write of a traineddata cache in the working directory.
    cacheMethod: 'none',
    cachePath: langPath(model),
    logger: () => undefined,
    errorHandler: () => undefined,
  };
}

/** Init-only parameters: no dictionaries, so a key is never "corrected" into words. */
const INIT_CONFIG = {
  load_system_dawg: '0',
  load_freq_dawg: '0',
  load_unambig_dawg: '0',
  load_punc_dawg: '0',
  load_number_dawg: '0',
  load_bigram_dawg: '0',
};

/**
 * Tesseract prints its diagnostics ("Detected 12 diacritics", "Image too small to scale!!")
 * to stderr unless a debug file is set: they would bury the scan's own messages.
 */
const QUIET = { debug_file: '/dev/null' };

/**
 * Both engines' settings. No document dictionary: tesseract adds the words it
 * reads to a dictionary that lives as long as the engine and steers what it
 * reads next, so a picture read after others read differently from the same
 * picture read first (wild-3102 rotated-009's v1 key: exact read alone or
 * after the other tilted pages, its data centre wrong after the whole set).
 */
const SETTINGS = { user_defined_dpi: '300', tessedit_do_invert: '0', preserve_interword_spaces: '1', tessedit_enable_doc_dict: '0', ...QUIET };

export async function startWorker(): Promise<Worker> {
  // Loaded with the first worker: an image that turns out unreadable never pays for the engine.
  const { createWorker } = await import('tesseract.js');
  const worker = await createWorker('eng', 1 /* OEM.LSTM_ONLY */, workerOptions() as never, INIT_CONFIG as never);
  await worker.setParameters(SETTINGS as never);
  return worker;
}

/**
 * A legacy-engine worker (OEM 0) on the tessdata model. `legacyCore` and
 * `legacyLang` make tesseract.js load the full core and take the data from
 * langPath as is (without them it would assume LSTM-only data). No adaptive
 * learning: what it reads in one image must not depend on the images read before.
 */
export async function startLegacyWorker(): Promise<Worker> {
  const { createWorker } = await import('tesseract.js');
  const worker = await createWorker('eng', 0 /* OEM.TESSERACT_ONLY */, { ...workerOptions(LEGACY_MODEL), legacyCore: true, legacyLang: true } as never, INIT_CONFIG as never);
  await worker.setParameters({ ...SETTINGS, classify_enable_learning: '0' } as never);
  return worker;
}

/**
 * The engines one image is read with: the LSTM worker, and the legacy one,
 * started on first use. `live(w)` is `w` while they run, and throws once they
 * are terminated: a read abandoned at its time limit must stop there, since
 * tesseract.js's call into a terminated worker rejects a promise nobody holds,
 * which ends the process.
 */
export interface Engines { lstm: Worker; legacy: () => Promise<Worker>; live: (w: Worker) => Worker; terminate: () => Promise<void> }

/** An LSTM worker now, a legacy one when first asked for (most images never need it). */
export async function startEngines(): Promise<Engines> {
  const lstm = await startWorker();
  let legacy: Promise<Worker> | undefined;
  let ended = false;
  const gone = () => new Error('OCR engines terminated');
  return {
    lstm,
    // After terminate no legacy worker is started either: nothing would terminate it.
    legacy: () => (ended ? Promise.reject(gone()) : (legacy ??= startLegacyWorker())),
    live: (w) => {
      if (ended) throw gone();
      return w;
    },
    terminate: async () => {
      ended = true;
      await lstm.terminate().catch(() => undefined);
      if (legacy) await legacy.then((w) => w.terminate()).catch(() => undefined);
    },
  };
}

export interface Box { x0: number; y0: number; x1: number; y1: number }
export interface Choice { ch: string; conf: number }
export interface OcrSymbol { text: string; conf: number; box: Box; choices: Choice[] }
export interface OcrWord { text: string; conf: number; box: Box; symbols: OcrSymbol[]; line: number }

interface JsonSymbol { text: string; confidence: number; bbox: Box }
interface JsonWord { text: string; confidence: number; bbox: Box; symbols: JsonSymbol[] }
interface JsonLine { words: JsonWord[] }
interface JsonBlock { paragraphs: { lines: JsonLine[] }[] }

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Per-word lists of per-symbol LSTM alternatives, from hOCR with lstm_choice_mode=2. */
function parseChoices(hocr: string): Choice[][][] {
  const words: Choice[][][] = [];
  const wordParts = hocr.split("<span class='ocrx_word'");
  for (const part of wordParts.slice(1)) {
    const groups: Choice[][] = [];
    const groupParts = part.split("id='lstm_choices_");
    for (const g of groupParts.slice(1)) {
      const choices: Choice[] = [];
      const re = /x_confs ([0-9.]+)'>([^<]*)<\/span>/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(g))) choices.push({ ch: unescape(m[2]!), conf: Number(m[1]) });
      groups.push(choices);
    }
    words.push(groups);
  }
  return words;
}

/** The chosen character first, at its reported confidence, then the other alternatives. */
function withChosen(alts: Choice[], ch: string, conf: number): Choice[] {
  return [{ ch, conf }, ...alts.filter((a) => a.ch !== ch)];
}

export interface ReadOptions {
  psm: '3' | '6' | '7' | '10' | '11' | '13';
  choices: boolean;
  whitelist?: string;
}

/**
 * What each engine read lately, by PNG and options. An engine reads one PNG the same way
 * every time (no document dictionary, no adaptive learning: see SETTINGS), and a picture
 * asks for some reads twice: a picture nothing flagged is read once more (the rescue) and
 * its strips are often the very crops the first reading read (a negative's close-ups and
 * last resort, again), and a glyph's two cuts (its box, its pitch) are often one picture.
 * Forgotten past READS_KEPT, so a long scan does not keep them all.
 */
const remembered = new WeakMap<Worker, Map<string, OcrWord[]>>();
/** More than one picture's reads by one engine (wild-3501: at most 159, rotated-009, two keys' glyphs read alone; id-3505: 82). */
export const READS_KEPT = 512;

/** The words of a read the engine made before, a copy (the caller may change it), or undefined. */
function recalled(w: Worker, key: string): OcrWord[] | undefined {
  const words = remembered.get(w)?.get(key);
  return words && structuredClone(words);
}

function remember(w: Worker, key: string, words: OcrWord[]): void {
  let reads = remembered.get(w);
  if (!reads || reads.size >= READS_KEPT) remembered.set(w, (reads = new Map()));
  reads.set(key, structuredClone(words));
}

/**
 * OCR one prepared PNG; words with symbol boxes and, if asked, LSTM alternatives.
 * `worker` is asked for before each call (see Engines.live).
 */
export async function read(worker: () => Worker, png: Buffer, opts: ReadOptions): Promise<OcrWord[]> {
  const w = worker();
  const key = `${opts.psm} ${opts.choices} ${opts.whitelist ?? ''} ${createHash('sha1').update(png).digest('base64')}`;
  const known = recalled(w, key);
  if (known) return known;
  const words = await readAfresh(worker, png, opts);
  remember(w, key, words);
  return words;
}

async function readAfresh(worker: () => Worker, png: Buffer, opts: ReadOptions): Promise<OcrWord[]> {
  await worker().setParameters({
    tessedit_pageseg_mode: opts.psm,
    lstm_choice_mode: opts.choices ? '2' : '0',
    tessedit_char_whitelist: opts.whitelist ?? '',
  } as never);
  const { data } = await worker().recognize(png, {}, { text: false, blocks: true, hocr: opts.choices });
  const blocks = (data.blocks ?? []) as unknown as JsonBlock[];
  const choices = opts.choices && data.hocr ? parseChoices(data.hocr) : [];
  const words: OcrWord[] = [];
  let line = 0;
  let wi = 0;
  for (const b of blocks) {
    for (const p of b.paragraphs) {
      for (const l of p.lines) {
        for (const w of l.words) {
          const groups = choices[wi++];
          const aligned = groups !== undefined && groups.length === w.symbols.length;
          words.push({
            text: w.text,
            conf: w.confidence,
            box: w.bbox,
            line,
            symbols: w.symbols.map((s, i) => ({
              text: s.text,
              conf: s.confidence,
              box: s.bbox,
              choices: withChosen(aligned ? groups[i]! : [], s.text, s.confidence),
            })),
          });
        }
        line++;
      }
    }
  }
  return words;
}
