// Office documents: docx, pptx, xlsx (OOXML) and odt, odp, ods (OpenDocument),
// read in memory as the zip packages they are.
//
// Text comes out the way a reader sees it, not the way the XML stores it: Word
// cuts a paragraph into runs wherever formatting, spell-checking or a bookmark
// starts, so a key can be spread over several <w:t> elements with tags between
// them. Each paragraph's text is joined without separators and written on a line
// of its own, so such a key comes out whole. Slides are one text part each with
// their page (slide number), spreadsheet rows are one line each (line = row number,
// cells separated by tabs, shared strings resolved). Pictures become image parts
// for OCR; every other file of the package (relationships with link targets,
// custom XML, embedded workbooks...) is passed on as it is, so nothing is missed.
import { posix } from 'node:path';
import { isImagePath } from './kinds.js';
import { readZipEntries, type ArchiveContents, type ArchiveEntry } from './archive.js';
import type { ContainerLimits, FormatReader, Part, PartSkip, ReadResult } from './types.js';

// ---------------------------------------------------------------------------
// XML, read leniently: a half-broken document still yields its text.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[ref] ?? all;
  });
}

export interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

interface Tag {
  closing: boolean;
  name: string;
  attrs: string;
  selfClosing: boolean;
  /** Just after the tag's '>'. */
  end: number;
}

const WHITESPACE = /\s/;

/**
 * The tag at `lt`, or null for a stray '<'. The scan stops at the next '<' (XML allows
 * none inside a tag, quoted values included), so each character is looked at by one
 * tag at most and a document of stray '<' is read in linear time.
 */
function readTag(xml: string, lt: number): Tag | null {
  let i = lt + 1;
  const closing = xml[i] === '/';
  if (closing) i++;
  const nameStart = i;
  while (i < xml.length && !'/><'.includes(xml[i]!) && !WHITESPACE.test(xml[i]!)) i++;
  if (i === nameStart) return null;
  const nameEnd = i;
  let quote = '';
  for (; i < xml.length; i++) {
    const c = xml[i]!;
    if (c === '<') return null;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') {
      const selfClosing = xml[i - 1] === '/' && i - 1 >= nameEnd;
      return { closing, name: xml.slice(nameStart, nameEnd), attrs: xml.slice(nameEnd, selfClosing ? i - 1 : i), selfClosing, end: i + 1 };
    }
  }
  return null;
}

/** Calls the handler for each tag and each run of (decoded) text, in document order. */
export function walkXml(xml: string, h: XmlHandler): void {
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) {
      h.text(decodeEntities(xml.slice(i)));
      break;
    }
    if (lt > i) h.text(decodeEntities(xml.slice(i, lt)));
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      h.text(xml.slice(lt + 9, end === -1 ? n : end));
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (xml[lt + 1] === '?' || xml[lt + 1] === '!') {
      const end = xml.indexOf('>', lt);
      i = end === -1 ? n : end + 1;
      continue;
    }
    const tag = readTag(xml, lt);
    if (!tag) {
      // A stray '<': keep it as text.
      h.text('<');
      i = lt + 1;
      continue;
    }
    if (tag.closing) h.close(tag.name);
    else {
      h.open(tag.name, tag.attrs, tag.selfClosing);
      if (tag.selfClosing) h.close(tag.name);
    }
    i = tag.end;
  }
}

/**
 * `name="value"` pairs, read in one pass (a regex retried at each position of a long
 * run with no '=' or no closing quote is quadratic). Text that is not a pair is passed over.
 */
export function attributes(attrs: string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = attrs.length;
  const skipSpace = (j: number) => {
    while (j < n && WHITESPACE.test(attrs[j]!)) j++;
    return j;
  };
  const unclosed = new Set<string>();
  let i = 0;
  while (i < n) {
    i = skipSpace(i);
    const nameStart = i;
    while (i < n && attrs[i] !== '=' && !WHITESPACE.test(attrs[i]!)) i++;
    const name = attrs.slice(nameStart, i);
    i = skipSpace(i);
    if (attrs[i] !== '=') {
      if (name === '') i++;
      continue;
    }
    i = skipSpace(i + 1);
    const quote = attrs[i];
    if (quote !== '"' && quote !== "'") continue;
    const close = unclosed.has(quote) ? -1 : attrs.indexOf(quote, i + 1);
    if (close === -1) {
      // Remembered, so a run of unclosed quotes is not searched to the end again and again.
      unclosed.add(quote);
      i++;
      continue;
    }
    if (name !== '') out[name] = decodeEntities(attrs.slice(i + 1, close));
    i = close + 1;
  }
  return out;
}

function xmlString(data: Buffer): string {
  if (data[0] === 0xff && data[1] === 0xfe) return data.toString('utf16le', 2);
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return data.toString('utf8');
}

// ---------------------------------------------------------------------------
// Paragraph text: Word (w:), DrawingML (a:, slides, charts, shapes) and OpenDocument (text:)

interface Paragraph {
  /** What a reader sees now. */
  text: string;
  /** The text before tracked changes (deleted text kept, inserted text left out). */
  before: string;
  changed: boolean;
  /** Field instructions (HYPERLINK "..."), hidden from the reader but in the file. */
  fields: string;
}

const PARAGRAPHS = new Set(['w:p', 'a:p', 'text:p', 'text:h']);
/** Elements whose text is not part of the paragraph around them (ODF). */
const NOT_TEXT = new Set(['text:note-citation', 'dc:creator', 'dc:date', 'meta:date-string', 'text:bookmark-ref']);

interface Segment {
  page?: number;
  lines: string[];
}

/** What Word and DrawingML text is inside of: a run, shown text, deleted text, a field code, an insertion. */
type Inside = 'run' | 'text' | 'deleted' | 'field' | 'inserted';
const INSIDE = new Map<string, Inside>([
  ['w:r', 'run'],
  ['w:t', 'text'],
  ['a:t', 'text'],
  ['w:delText', 'deleted'],
  ['w:instrText', 'field'],
  ['w:ins', 'inserted'],
]);

/**
 * Lines of text, one per paragraph, in segments (one per slide or page of an
 * OpenDocument presentation). Image references met inside a page are reported.
 */
class ParagraphText implements XmlHandler {
  readonly segments: Segment[] = [{ lines: [] }];
  private readonly stack: Paragraph[] = [];
  /** How many of each element are open. */
  private readonly inside: Record<Inside, number> = { run: 0, text: 0, deleted: 0, field: 0, inserted: 0 };
  private skipText = 0;
  private pages = 0;
  private pageDepth = 0;
  readonly pictures = new Map<string, number>();

  constructor(private readonly odf: boolean) {}

  private get segment(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private get top(): Paragraph | undefined {
    return this.stack[this.stack.length - 1];
  }

  private add(s: string, toBefore = true): void {
    const p = this.top;
    if (!p) return;
    p.text += s;
    if (toBefore) p.before += s;
  }

  open(name: string, attrs: string, selfClosing: boolean): void {
    if (PARAGRAPHS.has(name)) {
      if (selfClosing) return;
      this.stack.push({ text: '', before: '', changed: false, fields: '' });
      return;
    }
    if (this.odf) {
      if (name === 'draw:page' && !selfClosing) {
        this.pages++;
        this.pageDepth++;
        this.segments.push({ page: this.pages, lines: [] });
        return;
      }
      if (this.pageDepth > 0 && (name === 'draw:image' || name === 'draw:object-ole' || name === 'draw:fill-image')) {
        const href = attributes(attrs)['xlink:href'];
        if (href && !this.pictures.has(href)) this.pictures.set(href, this.pages);
        return;
      }
      if (NOT_TEXT.has(name)) {
        if (!selfClosing) this.skipText++;
        return;
      }
      if (name === 'text:s') {
        const c = parseInt(attributes(attrs)['text:c'] ?? '1', 10);
        this.add(' '.repeat(Number.isFinite(c) && c > 0 && c < 1000 ? c : 1));
      } else if (name === 'text:tab') this.add('\t');
      else if (name === 'text:line-break') this.add('\n');
      return;
    }
    const inside = INSIDE.get(name);
    if (inside) {
      if (!selfClosing) this.inside[inside]++;
      return;
    }
    switch (name) {
      case 'w:tab':
        if (this.inside.run > 0) this.add('\t');
        break;
      case 'w:br':
      case 'w:cr':
        if (this.inside.run > 0) this.add('\n');
        break;
      case 'a:br':
        this.add('\n');
        break;
      case 'w:noBreakHyphen':
        this.add('-');
        break;
    }
  }

  close(name: string): void {
    if (PARAGRAPHS.has(name)) {
      const p = this.stack.pop();
      if (!p) return;
      this.segment.lines.push(p.text);
      if (p.changed && p.before !== p.text) this.segment.lines.push(p.before);
      if (p.fields.trim()) this.segment.lines.push(p.fields.trim());
      return;
    }
    if (this.odf) {
      if (name === 'draw:page' && this.pageDepth > 0) {
        this.pageDepth--;
        this.segments.push({ lines: [] });
      } else if (NOT_TEXT.has(name) && this.skipText > 0) this.skipText--;
      return;
    }
    const inside = INSIDE.get(name);
    if (inside && this.inside[inside] > 0) this.inside[inside]--;
  }

  text(text: string): void {
    const p = this.top;
    if (!p) return;
    if (this.odf) {
      if (this.skipText === 0) this.add(text);
      return;
    }
    if (this.inside.text > 0) {
      p.text += text;
      if (this.inside.inserted > 0) p.changed = true;
      else p.before += text;
    } else if (this.inside.deleted > 0) {
      p.before += text;
      p.changed = true;
    } else if (this.inside.field > 0) p.fields += text;
  }
}

function paragraphSegments(xml: string, odf: boolean): { segments: Segment[]; pictures: Map<string, number> } {
  const h = new ParagraphText(odf);
  walkXml(xml, h);
  return { segments: h.segments.filter((s) => s.lines.some((l) => l !== '')), pictures: h.pictures };
}

// ---------------------------------------------------------------------------
// Spreadsheets (xlsx)

/** The shared strings table: each <si>'s text runs joined (phonetic guides left out). */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let inT = 0;
  let inPhonetic = 0;
  walkXml(xml, {
    open(name, _attrs, self) {
      if (self) return;
      if (name === 'si') current = '';
      else if (name === 't') inT++;
      else if (name === 'rPh') inPhonetic++;
    },
    close(name) {
      if (name === 'si' && current !== null) {
        out.push(current);
        current = null;
      } else if (name === 't' && inT > 0) inT--;
      else if (name === 'rPh' && inPhonetic > 0) inPhonetic--;
    },
    text(t) {
      if (current !== null && inT > 0 && inPhonetic === 0) current += t;
    },
  });
  return out;
}

/** Spreadsheet rows never go past this (Excel's limit): a row number above it is not padded to. */
const MAX_ROWS = 1_048_576;

/** A worksheet as text: line N is row N, cells separated by tabs; formulas after their value. */
function sheetText(xml: string, strings: string[], used: Set<number>): string {
  const lines: string[] = [];
  let row: string[] | null = null;
  let rowNumber = 0;
  let cellType = '';
  let value: string | null = null;
  let formula: string | null = null;
  let inline: string | null = null;
  let target: 'v' | 'f' | 't' | null = null;
  let inInline = 0;
  const flushRow = () => {
    if (!row) return;
    const text = row.join('\t');
    if (rowNumber > lines.length && rowNumber <= MAX_ROWS) while (lines.length < rowNumber - 1) lines.push('');
    lines.push(text);
    row = null;
  };
  walkXml(xml, {
    open(name, attrs, self) {
      if (name === 'row') {
        flushRow();
        row = [];
        const r = parseInt(attributes(attrs).r ?? '', 10);
        rowNumber = Number.isFinite(r) ? r : lines.length + 1;
        if (self) flushRow();
      } else if (name === 'c') {
        cellType = attributes(attrs).t ?? 'n';
        value = formula = inline = null;
        if (self) (row ??= []).push('');
      } else if (self) return;
      else if (name === 'v') target = 'v';
      else if (name === 'f') target = 'f';
      else if (name === 'is') {
        inInline++;
        inline ??= '';
      } else if (name === 't' && inInline > 0) target = 't';
    },
    close(name) {
      if (name === 'v' || name === 'f' || name === 't') target = null;
      else if (name === 'is' && inInline > 0) inInline--;
      else if (name === 'c') {
        let shown = '';
        if (cellType === 's') {
          const index = parseInt(value ?? '', 10);
          if (Number.isInteger(index) && index >= 0 && index < strings.length) {
            shown = strings[index]!;
            used.add(index);
          }
        } else if (cellType === 'inlineStr') shown = inline ?? '';
        else shown = value ?? '';
        const cell = [shown, formula ?? ''].filter((s) => s !== '').join('\t').replace(/\r?\n/g, ' ');
        (row ??= []).push(cell);
      } else if (name === 'row') flushRow();
    },
    text(t) {
      if (target === 'v') value = (value ?? '') + t;
      else if (target === 'f') formula = (formula ?? '') + t;
      else if (target === 't') inline = (inline ?? '') + t;
    },
  });
  flushRow();
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Package structure: relationships, slide order

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string): Relationship[] {
  const out: Relationship[] = [];
  walkXml(xml, {
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const a = attributes(attrs);
      if (a.TargetMode === 'External' || !a.Target) return;
      out.push({ id: a.Id ?? '', type: a.Type ?? '', target: a.Target });
    },
    close() {},
    text() {},
  });
  return out;
}

/** `ppt/slides/slide1.xml` -> `ppt/slides/_rels/slide1.xml.rels` */
function relsPath(path: string): string {
  return posix.join(posix.dirname(path), '_rels', `${posix.basename(path)}.rels`);
}

/** A relationship target, relative to the part that names it, as a package path. */
function resolveTarget(from: string, target: string): string {
  const clean = target.split('#')[0]!;
  if (clean.startsWith('/')) return posix.normalize(clean.slice(1));
  return posix.normalize(posix.join(posix.dirname(from), clean));
}

/** Slide paths in the deck's order (the presentation's slide list), numbered from 1. */
function slideOrder(files: Map<string, Buffer>): Map<string, number> {
  const order = new Map<string, number>();
  const presentation = files.get('ppt/presentation.xml');
  const rels = files.get('ppt/_rels/presentation.xml.rels');
  if (presentation && rels) {
    const byId = new Map(relationships(xmlString(rels)).map((r) => [r.id, resolveTarget('ppt/presentation.xml', r.target)]));
    walkXml(xmlString(presentation), {
      open(name, attrs) {
        if (name !== 'p:sldId') return;
        const path = byId.get(attributes(attrs)['r:id'] ?? '');
        if (path && files.has(path) && !order.has(path)) order.set(path, order.size + 1);
      },
      close() {},
      text() {},
    });
  }
  // Slides the list does not name (or no list): by their file number, after the others.
  const rest = [...files.keys()]
    .filter((p) => /^ppt\/slides\/slide\d+\.xml$/.test(p) && !order.has(p))
    .sort((a, b) => parseInt(a.replace(/\D/g, ''), 10) - parseInt(b.replace(/\D/g, ''), 10));
  for (const p of rest) order.set(p, order.size + 1);
  return order;
}

// ---------------------------------------------------------------------------

const MEDIA = /^(?:word|ppt|xl)\/media\/|^Pictures\//;
const WORDLIKE = /<(?:w:t|w:delText|w:instrText|a:t)[\s>]/;

function textPart(entry: string, lines: string[], page?: number): Part {
  return { name: entry, entry, data: Buffer.from(lines.join('\n'), 'utf8'), kind: 'text', ...(page !== undefined ? { page } : {}) };
}

/** A picture (for OCR) or other media file of the package, with its slide or page. */
function mediaPart(path: string, data: Buffer, page: number | undefined): Part {
  return { name: path, entry: path, data, kind: isImagePath(path) ? 'image' : 'auto', ...(page !== undefined ? { page } : {}) };
}

function isOle(data: Buffer): boolean {
  return data.length >= 8 && data.readUInt32BE(0) === 0xd0cf11e0 && data.readUInt32BE(4) === 0xa1b11ae1;
}

function readOoxml(files: Map<string, Buffer>, parts: Part[]): void {
  const slides = slideOrder(files);
  // Slide of each speaker-notes part and picture, from the slides' relationships.
  const pageOf = new Map<string, number>();
  for (const [slide, page] of slides) {
    const rels = files.get(relsPath(slide));
    if (!rels) continue;
    for (const r of relationships(xmlString(rels))) {
      if (!/\/(?:notesSlide|image)$/.test(r.type)) continue;
      const target = resolveTarget(slide, r.target);
      if (!pageOf.has(target)) pageOf.set(target, page);
    }
  }
  const stringsXml = files.get('xl/sharedStrings.xml');
  const strings = stringsXml ? sharedStrings(xmlString(stringsXml)) : [];
  const used = new Set<number>();
  for (const [path, data] of files) {
    if (path === 'xl/sharedStrings.xml') continue;
    const page = slides.get(path) ?? pageOf.get(path);
    if (MEDIA.test(path)) {
      parts.push(mediaPart(path, data, page));
      continue;
    }
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(path)) {
      parts.push(textPart(path, [sheetText(xmlString(data), strings, used)]));
      continue;
    }
    if (path.endsWith('.xml')) {
      const xml = xmlString(data);
      if (WORDLIKE.test(xml)) {
        const lines = paragraphSegments(xml, false).segments.flatMap((s) => s.lines);
        if (lines.length > 0) parts.push(textPart(path, lines, page));
        continue;
      }
    }
    parts.push({ name: path, entry: path, data, kind: 'auto' });
  }
  // Shared strings no cell shows (left behind by deleted cells) are still in the file.
  if (strings.length > 0 && used.size < strings.length) {
    const lines = strings.map((s, i) => (used.has(i) ? '' : s.replace(/\r?\n/g, ' ')));
    parts.push(textPart('xl/sharedStrings.xml', lines));
  }
}

function readOdf(files: Map<string, Buffer>, parts: Part[]): void {
  const pictures = new Map<string, number>();
  const later: [string, Buffer][] = [];
  for (const [path, data] of files) {
    if (path === 'content.xml' || path === 'styles.xml') {
      const found = paragraphSegments(xmlString(data), true);
      for (const [href, page] of found.pictures) pictures.set(posix.normalize(href.replace(/^\.\//, '')), page);
      for (const s of found.segments) parts.push(textPart(path, s.lines, s.page));
    } else later.push([path, data]);
  }
  for (const [path, data] of later) {
    if (MEDIA.test(path)) {
      const page = pictures.get(path);
      parts.push(mediaPart(path, data, page));
    } else parts.push({ name: path, entry: path, data, kind: 'auto' });
  }
}

function listedParts(entries: ArchiveEntry[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const e of entries) files.set(e.path.replace(/^\/+/, ''), e.data);
  return files;
}

/** The parts of an unzipped Office package (OOXML or OpenDocument). */
export function officeParts(zip: ArchiveContents): ReadResult {
  const skipped: PartSkip[] = zip.skipped;
  const files = listedParts(zip.entries);
  const parts: Part[] = [];
  try {
    const mimetype = files.get('mimetype')?.toString('latin1') ?? '';
    const manifest = files.get('META-INF/manifest.xml')?.toString('utf8') ?? '';
    if (files.has('content.xml') && (mimetype.startsWith('application/vnd.oasis.opendocument') || manifest)) {
      if (manifest.includes('encryption-data')) {
        return { parts: [], skipped: [...skipped, { reason: 'password-protected (encrypted) OpenDocument: not read' }] };
      }
      readOdf(files, parts);
    } else readOoxml(files, parts);
  } catch (err) {
    skipped.push({ reason: `corrupt document (${err instanceof Error ? err.message : String(err)})` });
    if (parts.length === 0) for (const [path, d] of files) parts.push({ name: path, entry: path, data: d, kind: 'auto' });
  }
  return { parts, skipped };
}

export const officeReader: FormatReader = {
  async read(data: Buffer, _name: string, limits: ContainerLimits): Promise<ReadResult> {
    if (isOle(data)) {
      return { parts: [], skipped: [{ reason: 'password-protected (encrypted) or old binary Office document: not read' }] };
    }
    const zip = await readZipEntries(data, limits);
    if (zip.entries.length === 0) {
      const skipped = zip.skipped;
      return { parts: [], skipped: skipped.length > 0 ? skipped.map((s) => (s.entry ? s : { reason: `corrupt document: ${s.reason}` })) : [{ reason: 'empty document package: nothing to read', unreadContent: false }] };
    }
    return officeParts(zip);
  },
};
