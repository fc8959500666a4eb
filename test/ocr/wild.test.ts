// Real OCR of three pictures that travelled (wild dev set, seed 101): a key
// wrapped in a table cell (two lines), one wrapped in a narrow docs column
// (four lines, dark theme, device scale 2), one on a page tilted 4.6 degrees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcrPool, type ImageResult, type OcrPool } from '../../src/ocr/index.js';

const DIR = join(import.meta.dirname, '../fixtures/wild');
interface Entry { file: string; variant: string; keys: { ruleId: string; key: string }[] }
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { images: Entry[] };

let pool: OcrPool;
const results = new Map<string, ImageResult>();

beforeAll(async () => {
  pool = createOcrPool({ cacheDir: null });
  await Promise.all(manifest.images.map(async (e) => results.set(e.file, await pool.recognize(readFileSync(join(DIR, e.file)), e.file))));
}, 240_000);

afterAll(async () => {
  await pool?.close();
});

describe('pictures that travelled', () => {
  it.each(manifest.images.map((e) => [e.file, e] as const))('%s: the key, high, and nothing else high', (_file, e) => {
    const res = results.get(e.file)!;
    for (const k of e.keys) expect(res.candidates.some((c) => c.key === k.key && c.confidence === 'high' && c.ruleId === k.ruleId), e.variant).toBe(true);
    const expected = new Set(e.keys.map((k) => k.key));
    expect(res.candidates.filter((c) => c.confidence === 'high' && !expected.has(c.key))).toEqual([]);
  });
});
