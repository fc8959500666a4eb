#!/usr/bin/env -S npx tsx
// Renders screenshots that show Spreeflo keys (and look-alikes) from HTML
// templates with headless Chromium, and writes a manifest of what each holds.
//
//   npx tsx scripts/render-screenshots/render.ts --preset fixtures --out test/fixtures/images
//   npx tsx scripts/render-screenshots/render.ts --preset bench --count 80 --seed 7 --out bench/.work/ocr
//   npx tsx scripts/render-screenshots/render.ts --preset lookalike --count 40 --seed 11 --out bench/.work/look
//
// `lookalike`: pairs of pictures drawn alike, a valid key in the first and, in
// the second, the same key with a check character swapped for its look-alike
// (`l` for `1`, `O` for `0`): whether the search's repair of such a decoy comes
// out `high`, and whether the true key is kept `high`, over many fonts.
//
// Needs Debian's chromium and fonts (see docs/ocr.md). Deterministic for a seed,
// up to Chromium's own rendering.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Box, launch, shoot } from './shoot.js';
import { makeRng, int, v2LookalikePair } from './keys.js';
import { type Kind, render } from './templates.js';
import { type SecretType, type Spec, randomSpec, secretText } from './spec.js';

export interface ManifestEntry extends Omit<Spec, 'secrets'> {
  file: string;
  keys: { ruleId: 'spreeflo-api-key-v2' | 'spreeflo-api-key-v1'; key: string; box: Box | null }[];
  decoys: { type: SecretType; text: string }[];
}

/** The committed fixture set: every UI kind, both themes, every font, the negatives. */
function fixtureSpecs(): Spec[] {
  const s = (kind: Kind, theme: 'light' | 'dark', keyFont: string, uiFont: string, size: number, dsf: 1 | 2, format: 'png' | 'jpeg', secrets: SecretType[], quality?: number): Spec =>
    ({ kind, theme, keyFont, uiFont, size, dsf, format, secrets, ...(quality ? { quality } : {}) });
  return [
    s('settings', 'light', 'DejaVu Sans Mono', 'Open Sans', 14, 1, 'png', ['v2']),
    s('settings', 'dark', 'Roboto', 'Roboto', 13, 1, 'jpeg', ['v2'], 80),
    s('editor', 'dark', 'Fira Code', 'Noto Sans', 13, 1, 'png', ['v2', 'v1']),
    s('editor', 'light', 'Inconsolata', 'Liberation Sans', 16, 1, 'jpeg', ['v1'], 88),
    s('terminal', 'dark', 'Liberation Mono', 'DejaVu Sans', 12, 1, 'png', ['v2']),
    s('terminal', 'light', 'DejaVu Sans Mono', 'DejaVu Sans', 11, 2, 'jpeg', ['v2', 'v1'], 75),
    s('chat', 'light', 'Noto Sans', 'Noto Sans', 15, 1, 'png', ['v2', 'v1']),
    s('chat', 'dark', 'Liberation Sans', 'Liberation Sans', 12, 2, 'jpeg', ['v2'], 72),
    s('docs', 'light', 'Fira Code', 'Open Sans', 14, 1, 'jpeg', ['v2'], 90),
    s('docs', 'dark', 'Inconsolata', 'Roboto', 18, 1, 'png', ['v1']),
    s('apiclient', 'light', 'Open Sans', 'DejaVu Sans', 13, 1, 'png', ['v2']),
    s('apiclient', 'dark', 'DejaVu Sans Mono', 'Noto Sans', 11, 1, 'jpeg', ['v2', 'v1'], 85),
    s('settings', 'dark', 'Liberation Mono', 'Open Sans', 14, 1, 'png', ['masked']),
    s('terminal', 'dark', 'Fira Code', 'Roboto', 13, 1, 'png', ['wrong-checksum']),
    s('chat', 'light', 'DejaVu Sans', 'DejaVu Sans', 14, 1, 'jpeg', [], 80),
    s('editor', 'light', 'DejaVu Sans Mono', 'Open Sans', 13, 1, 'png', ['hex']),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string', default: 'bench' },
      out: { type: 'string' },
      count: { type: 'string', default: '80' },
      seed: { type: 'string', default: '7' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
    },
  });
  const preset = values.preset!;
  const out = values.out ?? (preset === 'fixtures' ? 'test/fixtures/images' : 'bench/.work/ocr');
  const seed = Number(values.seed);
  const rng = makeRng(preset === 'fixtures' ? 20250601 : seed);
  const count = Number(values.count);
  let specs: Spec[];
  // What each picture shows, when the preset fixes it (lookalike).
  let texts: string[][] | undefined;
  if (preset === 'fixtures') specs = fixtureSpecs();
  else if (preset === 'lookalike') {
    specs = [];
    texts = [];
    for (let i = 0; i + 1 < count; i += 2) {
      const spec = randomSpec(rng);
      const { key, decoy } = v2LookalikePair(rng);
      specs.push({ ...spec, secrets: ['v2'] }, { ...spec, secrets: ['wrong-checksum'] });
      texts.push([key], [decoy]);
    }
  } else specs = Array.from({ length: count }, () => randomSpec(rng));

  await mkdir(out, { recursive: true });
  const browser = await launch(values.chromium!);
  const entries: ManifestEntry[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const secrets = spec.secrets.map((t, j) => ({ type: t, text: texts?.[i]![j] ?? secretText(rng, t) }));
      const html = render(spec.kind, secrets.map((s) => s.text), spec, rng);
      const cssWidth = Math.max(760, Math.ceil(spec.size * 0.62 * 92)) + int(rng, 0, 80);
      const cssHeight = int(rng, 330, 420) + spec.size * 6;
      const { image: shot, boxes, fits } = await shoot(browser, html, { width: cssWidth, height: cssHeight, dsf: spec.dsf }, secrets.map((s) => s.text),
        spec.format === 'jpeg' ? { type: 'jpeg', quality: spec.quality ?? 80 } : { type: 'png' });
      const file = `${String(i).padStart(3, '0')}-${spec.kind}-${spec.theme}.${spec.format === 'png' ? 'png' : 'jpg'}`;
      await writeFile(join(out, file), shot);
      if (!fits) console.warn(`${file}: a secret does not fit in the viewport`);
      if (boxes.some((b) => b === null)) throw new Error(`${file}: a secret is missing from the rendered page`);
      const { secrets: _s, ...rest } = spec;
      entries.push({
        file,
        ...rest,
        keys: secrets.flatMap((s, j) => {
          if (s.type !== 'v2' && s.type !== 'v1') return [];
          const b = boxes[j];
          const box = b ? { x: Math.round(b.x * spec.dsf), y: Math.round(b.y * spec.dsf), width: Math.round(b.width * spec.dsf), height: Math.round(b.height * spec.dsf) } : null;
          return [{ ruleId: s.type === 'v2' ? 'spreeflo-api-key-v2' as const : 'spreeflo-api-key-v1' as const, key: s.text, box }];
        }),
        decoys: secrets.filter((s) => s.type !== 'v2' && s.type !== 'v1'),
      });
      process.stdout.write('.');
    }
  } finally {
    await browser.close();
  }
  process.stdout.write('\n');
  const manifest = {
    note: 'Generated by scripts/render-screenshots/render.ts. Keys are random test data, never issued. Boxes are in image pixels.',
    preset,
    seed: preset === 'fixtures' ? 20250601 : seed,
    images: entries,
  };
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${entries.length} images and manifest.json to ${out}`);
}

await main();
