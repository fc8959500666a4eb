// The HTML report: one self-contained file a person opens in a browser. Inline
// CSS only, no scripts, no fonts, no network: pictures are data URIs and a CSP
// meta tag forbids everything else. Keys appear in their redacted form only
// (whole keys only with --show-secrets); pictures show the key masked. Every
// piece of scanned or user-supplied text (paths, names, reasons) is escaped.
import type { ScanResult } from '../scan/pipeline.js';
import type { Finding } from '../finding.js';
import { isUnread, type Skipped, type Verification, type VerificationStatus } from '../model.js';
import { groupByKey, messageWhere, type KeyGroup } from './keys.js';
import { describeStatus } from './status.js';
import { TOOL_VERSION } from '../version.js';

export interface HtmlOptions {
  showSecrets: boolean;
  ruleNames: Map<string, string>;
  /** When the report was made (tests pass a fixed one). */
  now?: Date;
}

export const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: every character HTML gives a meaning to is escaped. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only our own thumbnails get into an img src: a PNG or JPEG data URI, nothing else. */
const DATA_URI = /^data:image\/(?:png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Seconds as m:ss (or h:mm:ss), as a video player shows them. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${String(m).padStart(2, '0')}:${ss}`;
}

export function timeRange(t: { start: number; end: number }): string {
  const a = clock(t.start);
  const b = clock(t.end);
  return a === b ? a : `${a}–${b}`;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, word: string): string {
  return `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;
}

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

const STATUS_LABELS: Record<VerificationStatus, string> = {
  live: 'live',
  plan_restricted: 'plan restricted',
  revoked: 'revoked',
  invalid: 'invalid',
  unknown: 'unknown',
  unchecked: 'not checked',
};

interface Section {
  title: string;
  statuses: VerificationStatus[];
  intro?: string;
}

const SECTIONS: Section[] = [
  { title: 'Revoke now', statuses: ['live', 'plan_restricted'], intro: 'Anyone holding these keys can use the account. Revoke each by its name in Spreeflo.' },
  {
    title: 'Nothing to revoke (revoked or unknown to Spreeflo)',
    statuses: ['revoked', 'invalid'],
    intro: 'These no longer work, but still remove them from the code and from git history.',
  },
  { title: 'State unknown: check again with --verify', statuses: ['unknown'], intro: 'Spreeflo could not be asked. Never treated as dead.' },
  {
    title: 'Keys found',
    statuses: ['unchecked'],
    intro: 'Not checked with Spreeflo (add --verify to learn whether each is live and its name).',
  },
];

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--line:#d1d9e0;--red:#cf222e;--amber:#9a6700;--green:#1a7f37;--blue:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--line:#3d444d;--red:#ff7b72;--amber:#d29922;--green:#3fb950;--blue:#4493f8}}
*{box-sizing:border-box}
body{margin:0;padding:24px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}h3{font-size:17px;margin:0 0 6px}h4{font-size:14px;margin:14px 0 6px}
code,.mono{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
.muted{color:var(--muted)}
.verdict{font-size:18px;font-weight:600;margin:12px 0}.verdict.bad{color:var(--red)}.verdict.good{color:var(--green)}
.warn{border:2px solid var(--red);padding:8px 12px;border-radius:6px;font-weight:600}
.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0}
.stat{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.stat .n{font-size:22px;font-weight:700;display:block}.stat .l{color:var(--muted);font-size:13px}
.key{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;padding:12px 16px;margin:12px 0}
.key.live,.key.plan_restricted{border-left-color:var(--red)}.key.revoked,.key.invalid{border-left-color:var(--green)}.key.unknown{border-left-color:var(--amber)}.key.unchecked{border-left-color:var(--blue)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.badge.live,.badge.plan_restricted{color:var(--red)}.badge.revoked,.badge.invalid{color:var(--green)}.badge.unknown{color:var(--amber)}.badge.unchecked{color:var(--blue)}
.secret{font-weight:600}
ol.steps{margin:6px 0;padding-left:22px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-top:1px solid var(--line)}
th{font-size:13px;color:var(--muted);font-weight:600}
td.path{word-break:break-all}
.snippet{display:block;white-space:pre-wrap;word-break:break-all;color:var(--muted);margin-top:2px}
figure{margin:0}figure img{display:block;max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;background:#fff}
figcaption{font-size:12px;color:var(--muted)}
footer{margin-top:40px;font-size:13px;color:var(--muted)}
@media print{body{padding:0}.key{break-inside:avoid}}
`;

function shownKey(g: KeyGroup, opts: HtmlOptions): string {
  const redacted = `<code class="secret">${esc(g.redacted)}</code>`;
  if (!opts.showSecrets) return redacted;
  return `${redacted} <span class="muted">whole key (--show-secrets):</span> <code class="secret">${esc(g.findings[0]!.secret.reveal())}</code>`;
}

function accountOf(v: Verification): string {
  return v.account?.name ? ` (account ${v.account.name})` : '';
}

function revokeSteps(nameHtml: string): string {
  return [
    '<ol class="steps">',
    '<li>In Spreeflo, open <b>Settings &gt; API Keys</b>.</li>',
    `<li>Click the <b>trash icon</b> next to ${nameHtml}.</li>`,
    '<li>Click <b>Confirm</b>.</li>',
    '<li>Give the integrations that used it a newly generated key (a revoked key never works again).</li>',
    '</ol>',
  ].join('');
}

function heading(g: KeyGroup, index: number): { title: string; nameHtml: string; note: string } {
  const v = g.findings[0]!.verification;
  const last4 = v.last4 ?? g.findings[0]!.secret.last4;
  const byLast4 = `the key ending in <code>${esc(last4)}</code>`;
  if (v.status === 'live' || v.status === 'plan_restricted') {
    const name = v.keyName ? `'${v.keyName}'` : 'this key';
    return { title: `${index}. Revoke ${esc(name)}${esc(accountOf(v))}`, nameHtml: v.keyName ? `<b>${esc(`'${v.keyName}'`)}</b>` : byLast4, note: '' };
  }
  if (v.keyName) return { title: `${index}. '${esc(v.keyName)}'${esc(accountOf(v))}`, nameHtml: `<b>${esc(`'${v.keyName}'`)}</b>`, note: '' };
  if (v.probableName) {
    return {
      title: `${index}. Probably '${esc(v.probableName)}'`,
      nameHtml: `<b>${esc(`'${v.probableName}'`)}</b> (check its last four characters: <code>${esc(last4)}</code>)`,
      note: 'Name guessed from your inventory: its last four characters match.',
    };
  }
  return { title: `${index}. Key ending in ${esc(last4)}`, nameHtml: byLast4, note: '' };
}

function whereIn(f: Finding): string {
  const parts: string[] = [];
  if (f.inName) parts.push('in the name');
  if (f.page !== undefined) parts.push(`page ${esc(f.page)}`);
  if (f.time) parts.push(`visible ${esc(timeRange(f.time))}`);
  if (f.box) {
    parts.push(f.source === 'image' ? 'in the picture' : 'picture');
    parts.push(`<span class="muted">box x ${esc(Math.round(f.box.x))}, y ${esc(Math.round(f.box.y))}, ${esc(Math.round(f.box.width))}×${esc(Math.round(f.box.height))} px</span>`);
    // The OCR's note (a key partly hidden): a picture has no line to quote.
    if (f.snippet) parts.push(esc(f.snippet));
  } else if (f.line > 0) {
    parts.push(`line ${esc(f.line)}, column ${esc(f.column)}`);
  }
  if (f.encoding) parts.push(`hidden as ${esc(f.encoding)}`);
  if (f.confidence === 'low') parts.push('<b>low confidence</b>');
  return parts.join('<br>');
}

function sourceLabel(f: Finding): string {
  switch (f.source) {
    case 'history':
      return 'git history';
    case 'commit-message':
      return 'commit message';
    case 'tag-message':
      return 'tag message';
    case 'note':
      return 'git note';
    case 'staged':
      return 'staged for commit';
    case 'image':
      return f.entry || f.page !== undefined || f.time ? 'picture inside the file' : 'picture';
    case 'document':
      return 'inside the file';
    default:
      return 'file';
  }
}

function placeRow(f: Finding): string {
  const message = messageWhere(f);
  const file = message ? `<i>${esc(message)}</i>` : `<span class="mono">${esc(f.path ?? '')}</span>`;
  const entry = f.entry ? `<br><span class="muted">inside</span> <span class="mono">${esc(f.entry)}</span>` : '';
  const snippet = !f.box && f.snippet ? `<code class="snippet">${esc(f.snippet.length > 300 ? `${f.snippet.slice(0, 300)}…` : f.snippet)}</code>` : '';
  const commit = f.commit
    ? `<span class="mono" title="${esc(f.commit)}">${esc(f.commit.slice(0, 12))}</span>${f.author ? `<br>${esc(f.author)}` : ''}${f.date ? `<br><span class="muted">${esc(f.date)}</span>` : ''}`
    : '';
  let preview = '';
  if (f.thumbnail && DATA_URI.test(f.thumbnail)) {
    const what = f.time ? `frame at ${timeRange(f.time)}` : f.page !== undefined ? `picture on page ${f.page}` : 'picture';
    preview =
      `<figure><img src="${f.thumbnail}" alt="${esc(`${what} of ${f.path ?? ''}${f.entry ? `!${f.entry}` : ''}, key masked`)}">` +
      '<figcaption>key masked (black), outlined in red</figcaption></figure>';
  } else if (f.box) {
    preview = '<span class="muted">no preview</span>';
  }
  return `<tr><td class="path">${file}${entry}${snippet}</td><td>${esc(sourceLabel(f))}</td><td>${whereIn(f)}</td><td>${commit}</td><td>${preview}</td></tr>`;
}

function keyCard(g: KeyGroup, index: number, opts: HtmlOptions): string {
  const v = g.findings[0]!.verification;
  const { title, nameHtml, note } = heading(g, index);
  const out: string[] = [];
  out.push(`<article class="key ${v.status}" id="key-${index}">`);
  out.push(`<h3>${title}</h3>`);
  out.push(
    `<p>${shownKey(g, opts)} <span class="muted">${esc(opts.ruleNames.get(g.rule) ?? g.rule)}</span> <span class="badge ${v.status}">${esc(STATUS_LABELS[v.status])}</span>` +
      `${g.confidence === 'low' ? ' <span class="badge unknown">low confidence</span>' : ''}</p>`,
  );
  out.push(`<p>${esc(describeStatus(v.status))}</p>`);
  if (v.status === 'unknown' && v.detail) out.push(`<p><b>Why:</b> ${esc(v.detail)}</p>`);
  if (note) out.push(`<p class="muted">${esc(note)}</p>`);
  if (v.status === 'live' || v.status === 'plan_restricted') {
    out.push(revokeSteps(nameHtml));
  } else if (v.status === 'unchecked' || v.status === 'unknown') {
    const leaked = g.findings.some((f) => f.source !== 'staged');
    if (leaked) out.push(`<p>Revoke it unless you know it is dead:</p>${revokeSteps(nameHtml)}`);
    else out.push('<p>Only staged: remove it before committing.</p>');
  }
  out.push(`<h4>Found in ${esc(plural(g.findings.length + g.morePlaces, 'place'))}</h4>`);
  out.push('<table class="places"><thead><tr><th>File</th><th>Kind</th><th>Where</th><th>Commit</th><th>Preview</th></tr></thead><tbody>');
  for (const f of g.findings) out.push(placeRow(f));
  out.push('</tbody></table></article>');
  return out.join('\n');
}

function statusCounts(groups: KeyGroup[]): Map<VerificationStatus, number> {
  const counts = new Map<VerificationStatus, number>();
  for (const g of groups) {
    const s = g.findings[0]!.verification.status;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

function skippedTable(items: Skipped[]): string {
  const rows = items.map((s) => `<tr><td class="path mono">${esc(s.path)}</td><td>${esc(s.reason)}</td></tr>`);
  return `<table><thead><tr><th>Path</th><th>Reason</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function stat(n: string | number, label: string): string {
  return `<div class="stat"><span class="n">${esc(n)}</span><span class="l">${esc(label)}</span></div>`;
}

export function renderHtml(result: ScanResult, opts: HtmlOptions): string {
  const groups = groupByKey(result.findings);
  const high = groups.filter((g) => g.confidence === 'high');
  const low = groups.filter((g) => g.confidence === 'low');
  const places = high.reduce((n, g) => n + g.findings.length + g.morePlaces, 0);
  const counts = statusCounts(high);
  const now = opts.now ?? new Date();
  const body: string[] = [];

  body.push('<header><h1>Spreeflo key scan</h1>');
  body.push(
    `<p class="muted">spreeflo-scan ${esc(TOOL_VERSION)}, ${esc(now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}. ` +
      `${esc(plural(result.stats.files, 'file'))} (${esc(sizeText(result.stats.bytes))}) scanned in ${esc(result.stats.seconds.toFixed(2))} s.</p>`,
  );
  if (opts.showSecrets) body.push('<p class="warn">This report shows whole keys (--show-secrets). Do not share it; delete it when done.</p>');
  body.push(
    high.length === 0
      ? '<p class="verdict good">✔ No Spreeflo keys found</p>'
      : `<p class="verdict bad">✖ ${esc(plural(high.length, 'Spreeflo key'))} found in ${esc(plural(places, 'place'))}</p>`,
  );
  body.push('</header>');

  body.push('<section aria-label="Summary"><h2>Summary</h2><div class="summary">');
  body.push(stat(thousands(high.length), high.length === 1 ? 'key' : 'keys'));
  body.push(stat(thousands(places), places === 1 ? 'place' : 'places'));
  body.push(stat(thousands(result.stats.files), 'files scanned'));
  const revokeNow = (counts.get('live') ?? 0) + (counts.get('plan_restricted') ?? 0);
  if (revokeNow > 0) body.push(stat(thousands(revokeNow), 'to revoke now'));
  for (const [status, n] of counts) body.push(stat(thousands(n), STATUS_LABELS[status]));
  if (low.length > 0) body.push(stat(thousands(low.length), 'low confidence'));
  body.push(stat(thousands(result.suppressed.length), 'suppressed'));
  body.push(stat(thousands(result.skipped.length), 'skipped'));
  body.push('</div></section>');

  const unread = result.skipped.filter(isUnread);
  if (unread.length > 0) {
    // Right after the verdict, as in the text report: a clean verdict says nothing about these.
    body.push(`<section class="unread"><h2>Not read (${unread.length})</h2>`);
    body.push(`<p class="warn">${esc(plural(unread.length, 'item'))} could hold a key but ${unread.length === 1 ? 'was' : 'were'} not read.</p>`);
    body.push(skippedTable(unread), '</section>');
  }

  let index = 0;
  for (const section of SECTIONS) {
    const members = high.filter((g) => section.statuses.includes(g.findings[0]!.verification.status));
    if (members.length === 0) continue;
    body.push(`<section><h2>${esc(section.title)} (${members.length})</h2>`);
    if (section.intro) body.push(`<p>${esc(section.intro)}</p>`);
    for (const g of members) body.push(keyCard(g, ++index, opts));
    body.push('</section>');
  }
  if (low.length > 0) {
    body.push(`<section><h2>Possible keys, low confidence (${low.length})</h2>`);
    body.push('<p>Check these by eye; they fail the scan only with --strict.</p>');
    for (const g of low) body.push(keyCard(g, ++index, opts));
    body.push('</section>');
  }
  if (high.length > 0) {
    body.push('<section><h2>Then</h2><p>Remove each key from the places listed, and from git history (<code>spreeflo-scan history</code> finds every commit that holds it).</p></section>');
  }

  if (result.suppressed.length > 0) {
    const byReason = new Map<string, number>();
    for (const s of result.suppressed) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
    body.push(`<section><h2>Suppressed (${result.suppressed.length})</h2><table><thead><tr><th>Reason</th><th>Findings</th></tr></thead><tbody>`);
    for (const [reason, n] of byReason) body.push(`<tr><td>${esc(reason)}</td><td>${esc(n)}</td></tr>`);
    body.push('</tbody></table></section>');
  }
  const passed = result.skipped.filter((s) => !isUnread(s));
  if (passed.length > 0) {
    body.push(`<section><h2>Skipped (${passed.length})</h2><p>Nothing there could hold a key, or not read by choice.</p>`);
    body.push(skippedTable(passed), '</section>');
  }
  if (result.notes.length > 0) {
    body.push('<section><h2>Notes</h2><ul>');
    for (const n of result.notes) body.push(`<li>${esc(n)}</li>`);
    body.push('</ul></section>');
  }
  body.push(
    `<footer>${opts.showSecrets ? 'Whole keys shown on request (--show-secrets).' : 'Keys are shown redacted; pictures show them masked. This file holds no whole key.'} ` +
      'Self-contained: it loads nothing from the network.</footer>',
  );

  const title = high.length === 0 ? 'spreeflo-scan: no keys found' : `spreeflo-scan: ${plural(high.length, 'key')} found`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
