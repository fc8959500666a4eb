// One page to one screenshot with Chromium, and where given strings were drawn.
// Shared by render.ts (screenshots as the UI draws them) and wild.ts (the same,
// then carried about: wrapped, tilted, photographed, recompressed, covered).
import { type Browser, chromium } from 'playwright-core';

export interface Box { x: number; y: number; width: number; height: number }

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** launch() gives Chromium a fresh temporary profile (user-data-dir) and removes it on close. */
export function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

export interface Shot {
  image: Buffer;
  /** Per string, the box (CSS pixels) of its first occurrence in the page's text, or null. */
  boxes: (Box | null)[];
  /** Whether every box found lies inside the viewport. */
  fits: boolean;
  /** What `decorate` returned (wild.ts: how many of the key's characters its overlay touches). */
  decorated: unknown;
}

/**
 * Render `html` at a viewport of `width` x `height` CSS pixels and device
 * scale `dsf`, then run `decorate` in the page (after fonts load, before the
 * shot: an overlay placed over a key, which may return a measure of it) and
 * screenshot it.
 */
export async function shoot(
  browser: Browser,
  html: string,
  view: { width: number; height: number; dsf: 1 | 2 },
  texts: string[],
  format: { type: 'png' } | { type: 'jpeg'; quality: number },
  decorate?: string,
): Promise<Shot> {
  const context = await browser.newContext({ viewport: { width: view.width, height: view.height }, deviceScaleFactor: view.dsf });
  try {
    const pg = await context.newPage();
    // No time limit: on a shared machine another engineer's timing run pauses Chromium for minutes (/tmp/quiet.sh).
    pg.setDefaultTimeout(0);
    await pg.setContent(html, { waitUntil: 'load' });
    await pg.evaluate(() => document.fonts.ready.then(() => undefined));
    const boxes: (Box | null)[] = await pg.evaluate((texts: string[]) => {
      const found: (Box | null)[] = [];
      for (const text of texts) {
        let box: Box | null = null;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n && !box; n = walker.nextNode()) {
          const at = (n.textContent ?? '').indexOf(text);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(n, at);
          range.setEnd(n, at + text.length);
          const r = range.getBoundingClientRect();
          box = { x: r.left, y: r.top, width: r.width, height: r.height };
        }
        found.push(box);
      }
      return found;
    }, texts);
    const decorated: unknown = decorate ? await pg.evaluate(decorate) : undefined;
    const fits = boxes.every((b) => b === null || (b.x >= 0 && b.y >= 0 && b.x + b.width <= view.width && b.y + b.height <= view.height));
    const image = await pg.screenshot({ type: format.type, ...(format.type === 'jpeg' ? { quality: format.quality } : {}) });
    return { image, boxes, fits, decorated };
  } finally {
    await context.close();
  }
}
