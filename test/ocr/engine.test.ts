// engine.ts's reads remembered per engine: a repeated read of one PNG with the same options
// is answered without the engine, as a copy; anything else is read.
import { describe, expect, it } from 'vitest';
import type { Worker } from 'tesseract.js';
import { READS_KEPT, type ReadOptions, read } from '../../src/ocr/engine.js';

const bbox = { x0: 0, y0: 0, x1: 8, y1: 10 };

/** A stand-in engine that reads every PNG as one word, its first byte, and counts its reads. */
function fakeEngine(): { worker: () => Worker; calls: () => number } {
  let calls = 0;
  const w = {
    setParameters: async () => ({}),
    recognize: async (png: Buffer) => {
      calls++;
      const text = String(png[0]);
      return { data: { blocks: [{ paragraphs: [{ lines: [{ words: [{ text, confidence: 90, bbox, symbols: [{ text, confidence: 90, bbox }] }] }] }] }] } };
    },
  };
  return { worker: () => w as unknown as Worker, calls: () => calls };
}

const LINE: ReadOptions = { psm: '7', choices: false };

describe('reads remembered per engine', () => {
  it.each<{ name: string; second: { png: number[]; opts: ReadOptions; other?: boolean }; reads: number }>([
    { name: 'the same PNG, the same options: read once', second: { png: [1, 2, 3], opts: LINE }, reads: 1 },
    { name: 'another PNG', second: { png: [1, 2, 4], opts: LINE }, reads: 2 },
    { name: 'another page mode', second: { png: [1, 2, 3], opts: { psm: '10', choices: false } }, reads: 2 },
    { name: 'choices asked for', second: { png: [1, 2, 3], opts: { psm: '7', choices: true } }, reads: 2 },
    { name: 'another whitelist', second: { png: [1, 2, 3], opts: { psm: '7', choices: false, whitelist: '0123' } }, reads: 2 },
    { name: 'another engine', second: { png: [1, 2, 3], opts: LINE, other: true }, reads: 2 },
  ])('$name', async ({ second, reads }) => {
    const a = fakeEngine();
    const b = fakeEngine();
    const first = await read(a.worker, Buffer.from([1, 2, 3]), LINE);
    const again = await read(second.other ? b.worker : a.worker, Buffer.from(second.png), second.opts);
    expect(a.calls() + b.calls()).toBe(reads);
    expect(again.map((w) => w.text)).toEqual([String(second.png[0])]);
    expect(first[0]!.symbols[0]!.choices).toEqual([{ ch: '1', conf: 90 }]);
  });

  it('answers with a copy: what a caller changes is not what the next one gets', async () => {
    const a = fakeEngine();
    const png = Buffer.from([7, 7]);
    (await read(a.worker, png, LINE))[0]!.text = 'changed';
    expect((await read(a.worker, png, LINE))[0]!.text).toBe('7');
    expect(a.calls()).toBe(1);
  });

  it(`keeps at most ${READS_KEPT} reads per engine`, async () => {
    const a = fakeEngine();
    const png = (n: number) => Buffer.from([n & 255, n >> 8]);
    for (let n = 0; n <= READS_KEPT; n++) await read(a.worker, png(n), LINE);
    await read(a.worker, png(0), LINE);
    expect(a.calls()).toBe(READS_KEPT + 2);
  });
});
