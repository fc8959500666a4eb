// The HTML report: one self-contained file, no whole key, no network, and what a
// person sees in a real browser (Chromium through playwright-core).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { makeV1Key, makeV2Key } from '../support/keys.js';
import { runCli, runCliAsync, tempDir, writeTree } from '../support/cli.js';
import { startFakeSpreeflo, type FakeSpreeflo } from '../support/fake-spreeflo.js';
import { CSP, clock, esc, renderHtml, timeRange } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { Secret } from '../../src/secret.js';
import type { Finding } from '../../src/finding.js';
import type { ScanResult } from '../../src/scan/pipeline.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const FIXTURES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));
const shot = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const SHOT_KEY: string = shot.keys[0].key;
const SHOT_BOX: { x: number; y: number; width: number; height: number } = shot.keys[0].box;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const ACME = { id: 'acct_1', name: 'Acme Marketing', plan: 'professional' };
/** A file name that is also markup: it must show as text, never become an element. */
const NASTY = `<img src=x onerror=alert(1)> & "q".txt`;

describe('scan --format html (end to end)', () => {
  const keys = { restricted: makeV2Key(), legacy: makeV1Key(3), allowed: makeV2Key() };
  const all = [SHOT_KEY, ...Object.values(keys)];
  const root = tempDir();
  const out = tempDir('sfscan-out-');
  const reportPath = join(out, 'report.html');
  let api: FakeSpreeflo;
  let html = '';
  let json: any;
  let seconds = 0;

  beforeAll(async () => {
    api = await startFakeSpreeflo({
      keys: [
        { key: SHOT_KEY, state: 'live', name: 'Zapier sync', account: ACME },
        { key: keys.restricted, state: 'plan_restricted', name: 'CRM <export> & "co"', account: { ...ACME, plan: 'starter' } },
      ],
    });
    mkdirSync(join(root, 'docs'), { recursive: true });
    copyFileSync(join(FIXTURES, shot.file), join(root, 'docs', 'settings shot.png'));
    writeTree(root, {
      '.env': `SPREEFLO_API_KEY=${keys.restricted}\n`,
      'src/legacy.py': `\n\nKEY = "${keys.legacy}"\n`,
      [NASTY]: `again: ${keys.restricted}\n`,
      'test/fixture.txt': `K=${keys.allowed}  # spreeflo-scan:allow\n`,
      'broken.png': '',
    });
    const env = { SPREEFLO_API_URL: api.url };
    const started = Date.now();
    const run = await runCliAsync(['scan', root, '--format', 'html', '--output', reportPath, '--no-cache', '--verify', '--no-progress'], { env });
    seconds = (Date.now() - started) / 1000;
    // Only the outcome, for a CI log: the report is in the file.
    expect(run.stderr).toMatch(/^✖ \d+ Spreeflo keys found in \d+ places; report written to \S+\.html\n$/);
    expect(run.code).toBe(1);
    html = readFileSync(reportPath, 'utf8');
    // The same scan as JSON, for the numbers the HTML must agree with (the OCR cache is off in both).
    json = JSON.parse((await runCliAsync(['scan', root, '--format', 'json', '--no-cache', '--verify'], { env })).stdout);
  });
  afterAll(() => api?.close());

  it('is one file holding no whole key, no network reference, no script', () => {
    expect(seconds).toBeLessThan(60);
    for (const key of all) expect(html).not.toContain(key);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\(/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    expect(CSP).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    // Every src/href is one of our data URIs.
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^data:image\/png;base64,/);
    expect(html).not.toContain('thumbnail');
  });

  it('escapes file and key names', () => {
    expect(html).toContain(esc(NASTY));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('CRM &lt;export&gt; &amp; &quot;co&quot;');
  });

  it('JSON of the same scan has no thumbnail', () => {
    expect(JSON.stringify(json)).not.toMatch(/thumbnail|data:image/);
  });

  it.skipIf(!HAVE_CHROMIUM)(
    HAVE_CHROMIUM ? 'in a real browser: what a person sees, and no request at all' : `SKIPPED browser check: ${CHROMIUM} is missing (apt-get install chromium)`,
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      try {
        const context = await browser.newContext({ serviceWorkers: 'block', javaScriptEnabled: true });
        const url = pathToFileURL(reportPath).href;
        const requests: string[] = [];
        const dialogs: string[] = [];
        context.on('request', (r) => requests.push(r.url()));
        // Anything but the report itself is blocked (and recorded above).
        await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
        const page = await context.newPage();
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(url, { waitUntil: 'load' });
        expect(requests.filter((r) => r !== url)).toEqual([]);
        expect(dialogs).toEqual([]);

        const text = (await page.innerText('body')).replace(/\s+/g, ' ');
        // Summary: the same numbers as the JSON report.
        const keysHigh = json.keys.filter((k: any) => k.confidence === 'high');
        const places = keysHigh.reduce((n: number, k: any) => n + k.occurrences, 0);
        expect(keysHigh).toHaveLength(3);
        expect(text).toContain(`${keysHigh.length} keys`);
        expect(text).toContain(`${places} places`);
        expect(text).toContain(`${json.summary.files} files scanned`);
        expect(text).toContain('1 live');
        expect(text).toContain('1 plan restricted');
        expect(text).toContain('1 invalid');
        expect(text).toContain('2 to revoke now');
        expect(text).toContain(`${json.suppressed.length} suppressed`);
        expect(json.suppressed.length).toBe(1);
        expect(text).toContain(`${json.skipped.length} skipped`);
        // Keys, by name, with the steps; redacted forms; paths; status.
        expect(text).toContain("Revoke 'Zapier sync' (account Acme Marketing)");
        expect(text).toContain(`Revoke 'CRM <export> & "co"'`);
        expect(text).toContain('Settings > API Keys');
        expect(text).toContain('trash icon next to \'Zapier sync\'');
        expect(text).toContain('Confirm');
        for (const k of json.keys) expect(text).toContain(k.redacted);
        for (const key of all) expect(text).not.toContain(key);
        for (const path of ['docs/settings shot.png', '.env', 'src/legacy.py', NASTY]) expect(text).toContain(path);
        expect(text).toContain('line 3, column 8');
        expect(text).toMatch(/LIVE: anyone holding it can use the account/);
        expect(text).toMatch(/not a key Spreeflo knows/);
        expect(text).toContain('allow comment');
        expect(text).toMatch(/broken\.png image not read/);

        // The file name stayed text: the thumbnail is the only picture.
        const images = page.locator('img');
        expect(await images.count()).toBe(1);
        const img = await images.first().evaluate((el: HTMLImageElement) => ({
          complete: el.complete,
          naturalWidth: el.naturalWidth,
          naturalHeight: el.naturalHeight,
          shown: el.getBoundingClientRect().width,
          src: el.src,
        }));
        expect(img.complete).toBe(true);
        expect(img.naturalWidth).toBeGreaterThan(0);
        expect(img.naturalWidth).toBeLessThanOrEqual(480);
        expect(img.shown).toBeGreaterThan(0);

        // The key's area in the thumbnail is solid fill: nothing of the key survived the scaling.
        const png = Buffer.from(img.src.slice(img.src.indexOf(',') + 1), 'base64');
        const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const scale = info.width / (await sharp(join(FIXTURES, shot.file)).metadata()).width!;
        let dark = 0;
        let total = 0;
        for (let y = Math.ceil(SHOT_BOX.y * scale) + 1; y < Math.floor((SHOT_BOX.y + SHOT_BOX.height) * scale) - 1; y++) {
          for (let x = Math.ceil(SHOT_BOX.x * scale) + 1; x < Math.floor((SHOT_BOX.x + SHOT_BOX.width) * scale) - 1; x++) {
            const at = (y * info.width + x) * info.channels;
            total++;
            if (data[at]! < 16 && data[at + 1]! < 16 && data[at + 2]! < 16) dark++;
          }
        }
        expect(total).toBeGreaterThan(100);
        expect(dark).toBe(total);

        // The CSP is in force: a request the page tries is refused by the browser.
        const violated = await page.evaluate(
          () =>
            new Promise<string>((done) => {
              document.addEventListener('securitypolicyviolation', (e) => done(e.violatedDirective));
              const probe = new Image();
              probe.src = 'http://127.0.0.1:9/probe.png';
              setTimeout(() => done('none'), 3000);
            }),
        );
        expect(violated).toMatch(/img-src/);
        expect(requests.filter((r) => r !== url && !r.includes('127.0.0.1:9'))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});

describe('scan --format html, other cases', () => {
  it('--show-secrets shows whole keys, with a warning; a clean scan says so', () => {
    const root = tempDir();
    const key = makeV2Key();
    writeTree(root, {
      '.env': `K=${key}\n`,
      '.spreeflo-scan.yaml': `inventory:\n  - { name: Zapier sync, last4: ${key.slice(-4)} }\n`,
    });
    const shown = runCli(['scan', root, '--format', 'html', '--show-secrets', '--no-ocr']);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain(key);
    expect(shown.stdout).toContain('This report shows whole keys (--show-secrets)');
    const hidden = runCli(['scan', root, '--format', 'html', '--no-ocr']);
    expect(hidden.stdout).not.toContain(key);
    expect(hidden.stdout).toContain("Probably 'Zapier sync'");

    const clean = tempDir();
    writeTree(clean, { 'a.txt': 'nothing here\n' });
    const none = runCli(['scan', clean, '--format', 'html', '--no-ocr']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No Spreeflo keys found');
  });
});

function finding(over: Partial<Finding>): Finding {
  const key = makeV2Key();
  const secret = new Secret(key, `${key.slice(0, 8)}…${key.slice(-4)}`, sha(key));
  return {
    source: 'image',
    path: 'talk.pdf',
    rule: 'spreeflo-api-key-v2',
    secret,
    line: 0,
    column: 0,
    confidence: 'high',
    snippet: '',
    fingerprint: `${secret.sha256}:talk.pdf`,
    verification: { status: 'unchecked' },
    ...over,
  };
}

function resultOf(findings: Finding[]): ScanResult {
  return { findings, suppressed: [], skipped: [{ path: 'a<b>.zip!x', reason: 'corrupt <entry>' }], notes: [], stats: { files: 1, bytes: 10, seconds: 0.1 } };
}

describe('renderHtml (unit)', () => {
  const ruleNames = new Map([['spreeflo-api-key-v2', 'Spreeflo API key (v2)']]);
  const thumb = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;

  it("a picture's finding shows the OCR's note (a key partly hidden), escaped", () => {
    const html = renderHtml(resultOf([finding({ confidence: 'low', box: { x: 1, y: 2, width: 30, height: 8 }, snippet: 'partly hidden: <overlay>' })]), { showSecrets: false, ruleNames });
    expect(html).toContain('partly hidden: &lt;overlay&gt;');
  });

  it('places inside documents and videos: entry, page, time range mm:ss, commit', () => {
    const html = renderHtml(
      resultOf([
        finding({ entry: 'ppt/media/image1.png', page: 3, box: { x: 1, y: 2, width: 30, height: 8 }, thumbnail: thumb }),
        finding({ path: 'demo.mp4', time: { start: 65, end: 72.4 }, box: { x: 1, y: 2, width: 30, height: 8 } }),
        finding({ source: 'history', path: 'cfg/.env', line: 4, column: 7, commit: 'a'.repeat(40), author: 'Ann <ann@x>', snippet: 'K=sfk_…' }),
      ]),
      { showSecrets: false, ruleNames },
    );
    expect(html).toContain('ppt/media/image1.png');
    expect(html).toContain('page 3');
    expect(html).toContain('visible 01:05–01:12');
    expect(html).toContain(`src="${thumb}"`);
    expect(html).toContain('no preview');
    expect(html).toContain('aaaaaaaaaaaa');
    expect(html).toContain('Ann &lt;ann@x&gt;');
    expect(html).toContain('line 4, column 7');
    expect(html).toContain('a&lt;b&gt;.zip!x');
    expect(html).toContain('corrupt &lt;entry&gt;');
  });

  it('only our own data URIs become pictures', () => {
    const html = renderHtml(resultOf([finding({ box: { x: 1, y: 2, width: 3, height: 4 }, thumbnail: 'javascript:alert(1)' })]), { showSecrets: false, ruleNames });
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<img');
  });

  it.each([
    { what: 'unread content', skip: { path: 'big.log', reason: 'too large' }, section: 'Not read (1)' },
    { what: 'a broken symlink', skip: { path: 'dead-link', reason: 'broken symbolic link', unreadContent: false as const }, section: 'Skipped (1)' },
  ])('$what is listed under "$section", and only there', ({ skip, section }) => {
    const html = renderHtml({ ...resultOf([]), skipped: [skip] }, { showSecrets: false, ruleNames });
    expect(html).toContain(`<h2>${section}</h2>`);
    expect(html.match(/<h2>(Not read|Skipped) \(/g)).toHaveLength(1);
    expect(html.indexOf(skip.path)).toBeGreaterThan(html.indexOf(section));
  });

  it.each([
    { status: 'unknown' as const, detail: 'no answer from api.spreeflo.com in 30 s', shown: true },
    { status: 'live' as const, detail: 'ignored for a verdict', shown: false },
  ])('a $status key shows why the check failed: $shown', ({ status, detail, shown }) => {
    const html = renderHtml(resultOf([finding({ verification: { status, detail } })]), { showSecrets: false, ruleNames });
    expect(html.includes(`<b>Why:</b> ${detail}`)).toBe(shown);
  });

  it('clock and time ranges', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(59.6)).toBe('01:00');
    expect(clock(3725)).toBe('1:02:05');
    expect(timeRange({ start: 5, end: 5.2 })).toBe('00:05');
    expect(timeRange({ start: 5, end: 95 })).toBe('00:05–01:35');
  });

  it('a thumbnail never reaches JSON or SARIF', () => {
    const result = resultOf([finding({ box: { x: 1, y: 2, width: 3, height: 4 }, thumbnail: thumb })]);
    const jsonOut = renderJson(result, { showSecrets: false, ruleNames });
    const sarifOut = renderSarif(result, []);
    for (const out of [jsonOut, sarifOut]) {
      expect(out).not.toContain('thumbnail');
      expect(out).not.toContain('data:image');
    }
  });
});
