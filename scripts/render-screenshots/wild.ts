#!/usr/bin/env -S npx tsx
// Screenshots that have travelled (issue 17): keys wrapped over lines, pictures
// tilted, photographed off a monitor, recompressed or shared as video frames,
// keys partly covered by a cursor, a selection or a tooltip. Rendered with
// Chromium like render.ts, then degraded (degrade.ts); seeded.
//
//   npx tsx scripts/render-screenshots/wild.ts --seed 101 --count 16 --out bench/.work/wild-101
//   npx tsx bench/ocr/run.ts --dir bench/.work/wild-101      # per-family table at the end
//
// Each family gets --count images: 60% v2 keys, 20% v1, 20% negatives (a
// masked key, a random `sfk_` string whose check fails, a valid key with one
// check character changed), all drawn and degraded the same way.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BASE62 } from '../../src/detect/checksum.js';
import { type Rng, makeRng, pick, int, v1Key, v2Key, v2WrongChecksum, maskedKey } from './keys.js';
import { type Box, launch, shoot } from './shoot.js';
import { type Kind, MONO_FONTS, PROP_FONTS, type Style, render } from './templates.js';
import { type Rgb, blur, jpeg, keystone, mapBox, moire, noise, rotate, scale, toRgb, unevenLight } from './degrade.js';

export const FAMILIES = ['wrapped', 'rotated', 'photo', 'recompressed', 'occluded'] as const;
type Family = (typeof FAMILIES)[number];
type Secret = 'v2' | 'v1' | 'masked' | 'random-invalid' | 'wrong-checksum' | 'bare-prefix';

function secretOf(rng: Rng, t: Secret): string {
  switch (t) {
    case 'v2': return v2Key(rng);
    case 'v1': return v1Key(rng);
    case 'masked': return maskedKey(rng);
    case 'wrong-checksum': return v2WrongChecksum(rng);
    case 'random-invalid': return `sfk_${Array.from({ length: 36 }, () => BASE62[Math.floor(rng() * 62)]).join('')}`;
    // A key's prefix alone, no key after it (`--bare`): a terminal's `KEY=sfk` ending its line, the next lines a command.
    case 'bare-prefix': return pick(rng, ['sfk', 'sfk_']);
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function randomStyle(rng: Rng, mono: boolean): Style & { dsf: 1 | 2 } {
  return {
    theme: rng() < 0.5 ? 'light' : 'dark',
    keyFont: mono ? pick(rng, MONO_FONTS) : pick(rng, PROP_FONTS),
    uiFont: pick(rng, PROP_FONTS),
    size: int(rng, 11, 18),
    dsf: rng() < 0.6 ? 1 : 2,
  };
}

type Layout = 'chat' | 'docs' | 'table' | 'terminal';

/**
 * A page where the key wraps: its box is narrower than the key, and the text
 * breaks at any character (chat bubbles with `word-break: break-all`, a narrow
 * documentation column, a table cell, a terminal at its window's width).
 */
function wrappedPage(layout: Layout, secret: string, style: Style, rng: Rng): string {
  const dark = style.theme === 'dark';
  const bg = dark ? '#1e1f24' : '#f4f5f7';
  const fg = dark ? '#e4e6eb' : '#1f2328';
  const panel = dark ? '#2a2c33' : '#ffffff';
  const border = dark ? '#3b3e47' : '#d0d7de';
  // The key's drawn width is about 0.6 em a character: the box holds 25-85% of it.
  const keyW = style.size * 0.6 * secret.length;
  const boxW = Math.round(keyW * (0.25 + rng() * 0.6));
  const k = `<span class="k">${esc(secret)}</span>`;
  const css = `html,body{margin:0;background:${bg};color:${fg};font-family:'${style.uiFont}',sans-serif;font-size:${style.size}px;line-height:1.45}.k{font-family:'${style.keyFont}',monospace}`;
  let body: string;
  switch (layout) {
    case 'chat': {
      const mine = rng() < 0.5;
      const before = pick(rng, ['sure, here:', 'key:', 'use', 'here you go', 'the old one was', '']);
      const bubble = (who: string, html: string, me: boolean, w?: number) =>
        `<div style="display:flex;${me ? 'justify-content:flex-end' : ''};margin:8px 16px"><div style="${w ? `width:${w}px;` : 'max-width:70%;'}word-break:break-all;background:${me ? (dark ? '#2b5fb4' : '#0969da') : panel};color:${me ? '#fff' : fg};border-radius:12px;padding:8px 12px;border:1px solid ${border}"><div style="font-size:.8em;opacity:.75">${who}</div>${html}</div></div>`;
      body = `<div style="padding:10px 16px;border-bottom:1px solid ${border};font-weight:bold"># integrations</div>
        ${bubble('Maya', 'Can someone send me the Spreeflo key for the sync job?', false)}
        ${bubble('Tom', `${before} ${k}${rng() < 0.5 ? ' thanks' : ''}`, mine, boxW + int(rng, 0, 40))}
        ${bubble('Maya', 'thanks!', !mine)}`;
      break;
    }
    case 'docs':
      body = `<div style="display:flex;gap:24px;padding:16px 24px"><div style="width:140px;color:${dark ? '#9aa0ab' : '#656d76'}">Guides<br>Authentication<br>Webhooks<br>Limits</div>
        <div style="width:${boxW + int(rng, 0, 60)}px;overflow-wrap:anywhere;word-break:break-all"><h3 style="margin:0 0 8px 0">Authentication</h3>
        <p>Send the key in the header: <code class="k" style="background:${dark ? '#17181c' : '#eef0f3'}">${esc(secret)}</code> with every call.</p></div></div>`;
      break;
    case 'table': {
      const cell = `padding:6px 8px;border:1px solid ${border};vertical-align:top`;
      body = `<div style="padding:16px 24px"><table style="border-collapse:collapse;background:${panel}">
        <tr><th style="${cell}">Name</th><th style="${cell}">Key</th><th style="${cell}">Created</th></tr>
        <tr><td style="${cell}">${pick(rng, ['Zapier sync', 'CRM export', 'Billing webhook'])}</td><td class="k" style="${cell};width:${boxW}px;word-break:break-all">${esc(secret)}</td><td style="${cell}">2025-03-0${int(rng, 1, 9)}</td></tr>
        <tr><td style="${cell}">Old integration</td><td class="k" style="${cell}">…Te4m</td><td style="${cell}">2024-11-20</td></tr></table></div>`;
      break;
    }
    case 'terminal': {
      const cols = int(rng, 24, 60);
      const tbg = dark ? '#0c0c0c' : '#fdfdfd';
      const tfg = dark ? '#d0d0d0' : '#202020';
      const line = pick(rng, [`$ export SPREEFLO_API_KEY=${esc(secret)}`, `$ echo ${esc(secret)} &gt;&gt; .env`, `SPREEFLO_API_KEY=${esc(secret)}`]);
      body = `<pre class="k" style="margin:0;background:${tbg};color:${tfg};padding:10px 12px;white-space:pre-wrap;word-break:break-all;width:${cols}ch;min-height:100vh">$ cat .env.example\n${line}\n$ curl -s https://api.spreeflo.com/v1/ping\n{"status":"ok"}\n$ </pre>`;
      break;
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${body}</body></html>`;
}

type Cover = 'cursor' | 'pointer' | 'selection' | 'tooltip-edge' | 'tooltip';

/**
 * In-page script placing something over characters [from, to) of the key:
 * a text cursor, a mouse pointer, a selection highlight, or a tooltip. It
 * returns how many of the key's characters the overlay's box touches (0 for a
 * selection, which hides nothing): a `Copy` tooltip placed over one character
 * is wider than it (its text and padding), and a pointer's arrow spans two.
 */
function coverScript(secret: string, cover: Cover, from: number, to: number, dark: boolean): string {
  return `(() => {
    const text = ${JSON.stringify(secret)};
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n.textContent || '').indexOf(text);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at + ${from});
      range.setEnd(n, at + ${to});
      const r = range.getBoundingClientRect();
      const el = document.createElement('div');
      el.style.position = 'fixed';
      const kind = ${JSON.stringify(cover)};
      if (kind === 'selection') {
        const span = document.createElement('span');
        span.style.background = ${JSON.stringify(dark ? '#264f78' : '#b4d5fe')};
        range.surroundContents(span);
        return 0;
      }
      if (kind === 'cursor') {
        Object.assign(el.style, { left: (r.left + r.width / 2 - 1) + 'px', top: (r.top - r.height * 0.15) + 'px', width: '2px', height: (r.height * 1.3) + 'px', background: ${JSON.stringify(dark ? '#f0f0f0' : '#111111')} });
      } else if (kind === 'pointer') {
        const h = r.height * 1.3;
        el.innerHTML = '<svg width="' + h * 0.62 + '" height="' + h + '" viewBox="0 0 12 19"><path d="M0 0 L0 16 L4 12 L7 18 L9 17 L6 11 L11 11 Z" fill="#000" stroke="#fff" stroke-width="1"/></svg>';
        Object.assign(el.style, { left: (r.left + r.width / 2) + 'px', top: (r.top + r.height * 0.35) + 'px', lineHeight: '0' });
      } else {
        el.textContent = kind === 'tooltip' ? 'Copied to clipboard' : 'Copy';
        Object.assign(el.style, { left: r.left + 'px', top: (r.top - 2) + 'px', minWidth: r.width + 'px', height: (r.height + 4) + 'px', padding: '0 6px', boxSizing: 'border-box', background: '#333842', color: '#fff', font: (r.height * 0.55) + 'px sans-serif', lineHeight: (r.height + 4) + 'px', borderRadius: '4px', boxShadow: '0 2px 6px rgba(0,0,0,.3)' });
      }
      document.body.appendChild(el);
      const c = el.getBoundingClientRect();
      let touched = 0;
      for (let i = 0; i < text.length; i++) {
        const g = document.createRange();
        g.setStart(n, at + i);
        g.setEnd(n, at + i + 1);
        // A wrapped key's character may have two rects (the break); the last is where it is drawn.
        const rs = g.getClientRects();
        const b = rs[rs.length - 1];
        if (b && Math.min(b.right, c.right) - Math.max(b.left, c.left) >= 1 && Math.min(b.bottom, c.bottom) - Math.max(b.top, c.top) >= 1) touched++;
      }
      return touched;
    }
    return -1;
  })()`;
}

interface Entry {
  file: string;
  family: Family;
  variant: string;
  keys: { ruleId: 'spreeflo-api-key-v2' | 'spreeflo-api-key-v1'; key: string; box: Box | null; hidden?: number }[];
  decoys: { type: Secret; text: string }[];
}

async function degrade(family: Family, img: Rgb, rng: Rng): Promise<{ image: Buffer; ext: string; map: (x: number, y: number) => [number, number]; variant: string }> {
  const same = (x: number, y: number): [number, number] => [x, y];
  switch (family) {
    case 'rotated': {
      const deg = (rng() < 0.5 ? -1 : 1) * (0.5 + rng() * 4.5);
      const r = rotate(img, deg);
      const q = int(rng, 80, 92);
      return { image: await jpeg(r.img, q), ext: 'jpg', map: r.map, variant: `${deg.toFixed(1)}deg q${q}` };
    }
    case 'photo': {
      const ks = rng() * 0.06;
      const deg = (rng() * 2 - 1) * 1.5;
      const w = keystone(img, rng, ks, deg);
      const sigma = 0.5 + rng() * 0.6;
      const light = 0.15 + rng() * 0.25;
      const m = 2 + rng() * 6;
      const n = 3 + rng() * 5;
      const q = int(rng, 75, 80);
      // Noise draws a number per pixel: from a stream of its own, so the picture's size
      // (the frame) does not change the images drawn after it.
      const out = noise(moire(unevenLight(await blur(w.img, sigma), rng, light), rng, m), makeRng(Math.floor(rng() * 2 ** 32)), n);
      return { image: await jpeg(out, q), ext: 'jpg', map: w.map, variant: `keystone ${(ks * 100).toFixed(1)}% ${deg.toFixed(1)}deg blur ${sigma.toFixed(2)} light ${light.toFixed(2)} moire ${m.toFixed(1)} noise ${n.toFixed(1)} q${q}` };
    }
    case 'recompressed': {
      if (rng() < 0.5) {
        const f = 0.75 + rng() * 0.1;
        const small = await scale(img, f);
        return { image: await jpeg(small, 50), ext: 'jpg', map: (x, y) => [x * f, y * f], variant: `social ${f.toFixed(2)}x q50` };
      }
      const small = await blur(await scale(img, 0.8), 0.5);
      return { image: await jpeg(small, 65, '4:2:0'), ext: 'jpg', map: (x, y) => [x * 0.8, y * 0.8], variant: 'screen-share 0.8x q65' };
    }
    default: {
      const q = int(rng, 80, 92);
      return rng() < 0.5 ? { image: await jpeg(img, q), ext: 'jpg', map: same, variant: `q${q}` } : { image: await (await import('sharp')).default(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } }).png().toBuffer(), ext: 'png', map: same, variant: 'png' };
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '101' },
      count: { type: 'string', default: '16' },
      out: { type: 'string' },
      families: { type: 'string', default: FAMILIES.join(',') },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      // Negatives only: every picture holds a bare `sfk` or `sfk_` where the key would be.
      bare: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const out = values.out ?? `bench/.work/wild-${seed}`;
  const families = values.families!.split(',') as Family[];
  await mkdir(out, { recursive: true });
  const browser = await launch(values.chromium!);
  const entries: Entry[] = [];
  try {
    for (const family of families) {
      // One stream per family: a set with fewer families draws the same images for the rest.
      const rng = makeRng(seed * 31 + FAMILIES.indexOf(family));
      for (let i = 0; i < Number(values.count); i++) {
        const r = rng();
        const type: Secret = values.bare ? 'bare-prefix' : r < 0.6 ? 'v2' : r < 0.8 ? 'v1' : pick(rng, ['masked', 'random-invalid', 'wrong-checksum'] as const);
        const secret = secretOf(rng, type);
        let html: string;
        let style: Style & { dsf: 1 | 2 };
        let variant = '';
        let cover: string | undefined;
        let hidden = 0;
        let width = int(rng, 760, 900);
        if (family === 'wrapped') {
          const layout = pick(rng, ['chat', 'docs', 'table', 'terminal'] as const);
          style = randomStyle(rng, layout === 'terminal' || rng() < 0.5);
          html = wrappedPage(layout, secret, style, rng);
          variant = layout;
          width = int(rng, 560, 760);
        } else {
          const kind: Kind = pick(rng, ['settings', 'editor', 'terminal', 'chat', 'docs', 'apiclient'] as const);
          style = randomStyle(rng, ['editor', 'terminal', 'docs'].includes(kind) || rng() < 0.5);
          width = Math.max(760, Math.ceil(style.size * 0.62 * 92)) + int(rng, 0, 80);
          html = render(kind, [secret], style, rng);
          variant = kind;
          if (family === 'occluded') {
            const c = pick(rng, ['cursor', 'pointer', 'selection', 'tooltip-edge', 'tooltip'] as const);
            // A short negative (a masked key) leaves fewer than n characters after the fifth; cover what there is.
            const n = Math.min(c === 'tooltip' ? int(rng, 5, 12) : c === 'selection' ? int(rng, 4, 20) : 1, secret.length - 5);
            const from = int(rng, 5, secret.length - n);
            cover = coverScript(secret, c, from, from + n, style.theme === 'dark');
            variant += ` ${c} ${from}+${n}`;
          }
        }
        const height = int(rng, 330, 420) + style.size * 6;
        const shot = await shoot(browser, html, { width, height, dsf: style.dsf }, [secret], { type: 'png' }, cover);
        if (!shot.boxes[0]) throw new Error(`${family} ${i}: the secret is missing from the rendered page`);
        if (cover) {
          // Measured in the page, not assumed from what the cover was placed over.
          if (typeof shot.decorated !== 'number' || shot.decorated < 0) throw new Error(`${family} ${i}: the cover found no key to cover`);
          hidden = shot.decorated;
          variant += ` touches ${hidden}`;
        }
        const d = await degrade(family, await toRgb(shot.image), rng);
        const file = `${family}-${String(i).padStart(3, '0')}.${d.ext}`;
        await writeFile(join(out, file), d.image);
        if (!shot.fits) console.warn(`${file}: the secret does not fit in the viewport`);
        const b = shot.boxes[0];
        const box = mapBox({ x: b.x * style.dsf, y: b.y * style.dsf, width: b.width * style.dsf, height: b.height * style.dsf }, d.map);
        const isKey = type === 'v2' || type === 'v1';
        entries.push({
          file,
          family,
          variant: `${variant} ${style.keyFont} ${style.size}px dsf${style.dsf} ${style.theme} ${d.variant}`,
          keys: isKey ? [{ ruleId: type === 'v2' ? 'spreeflo-api-key-v2' : 'spreeflo-api-key-v1', key: secret, box, ...(hidden ? { hidden } : {}) }] : [],
          decoys: isKey ? [] : [{ type, text: secret }],
        });
        process.stdout.write('.');
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write('\n');
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify({ note: 'Generated by scripts/render-screenshots/wild.ts. Keys are random test data, never issued. Boxes are in image pixels.', preset: 'wild', seed, images: entries }, null, 2)}\n`);
  console.log(`wrote ${entries.length} images and manifest.json to ${out}`);
}

await main();
