import { describe, expect, it } from 'vitest';
import { toFinding } from '../../src/finding.js';
import { placeOf } from '../../src/report/keys.js';

// A made-up v1 key's visible part, as the OCR flags it from a picture: not a key.
const place = (snippet: string) =>
  placeOf(toFinding({ ruleId: 'spreeflo-api-key-v1', key: '27403a1b9c0d4e5f8a7b6c5d', line: 0, column: 0, confidence: 'low', snippet, box: { x: 1, y: 2, width: 30, height: 8 } }, { source: 'file', path: 'shot.png' }, new Map()));

describe('placeOf', () => {
  it("says what a picture's reading could not see (the OCR's note)", () => {
    expect(place('partly hidden: the key runs under an overlay')).toBe('shot.png  (low confidence, partly hidden: the key runs under an overlay)');
    expect(place('')).toBe('shot.png  (low confidence)');
  });
});
