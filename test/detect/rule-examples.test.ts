import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/detect/rules.js';
import { builtinRulesDir, loadRuleDir } from '../../src/detect/rule-files.js';
import { Detector } from '../../src/detect/detector.js';

const defs = await loadRuleDir(builtinRulesDir());

describe.each(defs.map((d) => [d.id, d] as const))('rule %s', (_id, def) => {
  const detector = new Detector([compileRule(def)]);

  it('has examples of both kinds', () => {
    expect(def.examples.positive.length).toBeGreaterThan(0);
    expect(def.examples.negative.length).toBeGreaterThan(0);
  });

  it.each(def.examples.positive.map((e) => [e.text, e] as const))('finds a key in %s', (text, example) => {
    const found = detector.scan(Buffer.from(text, 'utf8'));
    expect(found).toHaveLength(1);
    expect(found[0]!.confidence).toBe(example.confidence ?? def.confidence);
  });

  it.each(def.examples.negative.map((e) => [e.text] as const))('finds nothing in %s', (text) => {
    expect(detector.scan(Buffer.from(text, 'utf8'))).toEqual([]);
  });
});
