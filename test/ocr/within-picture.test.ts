import { describe, expect, it } from 'vitest';
import { withinPicture } from '../../src/ocr/index.js';

const picture = { width: 400, height: 300 };
const cases: { name: string; box: { x: number; y: number; width: number; height: number }; want: { x: number; y: number; width: number; height: number } }[] = [
  { name: 'inside: unchanged', box: { x: 10, y: 20, width: 100, height: 15 }, want: { x: 10, y: 20, width: 100, height: 15 } },
  { name: 'past the left edge (a join cut a space left of a line starting at the edge)', box: { x: -19, y: 35, width: 321, height: 56 }, want: { x: 0, y: 35, width: 302, height: 56 } },
  { name: 'past the right and bottom edges', box: { x: 350, y: 290, width: 100, height: 20 }, want: { x: 350, y: 290, width: 50, height: 10 } },
  { name: 'above the top edge', box: { x: 5, y: -4, width: 50, height: 14 }, want: { x: 5, y: 0, width: 50, height: 10 } },
  { name: 'wholly outside: an empty box at the edge', box: { x: 500, y: 10, width: 20, height: 10 }, want: { x: 400, y: 10, width: 0, height: 10 } },
];

describe('withinPicture: a key\'s box cut to the picture', () => {
  it.each(cases)('$name', ({ box, want }) => {
    const out = withinPicture({ candidates: [{ ruleId: 'spreeflo-api-key-v2', key: 'k', confidence: 'low', box }] }, picture);
    expect(out.candidates[0]!.box).toEqual(want);
  });
  it('keeps what was skipped and every other field', () => {
    const result = { candidates: [{ ruleId: 'spreeflo-api-key-v1' as const, key: 'k', confidence: 'low' as const, box: { x: 1, y: 1, width: 2, height: 2 }, note: 'n' }], skipped: 'why' };
    expect(withinPicture(result, picture)).toEqual(result);
  });
});
