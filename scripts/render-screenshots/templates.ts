// HTML templates of the UI kinds a key gets screenshotted in. Each takes the
// strings to show (keys, masked keys, decoys) and a style, and returns a page.
import { type Rng, pick, int } from './keys.js';

export type Kind = 'settings' | 'editor' | 'terminal' | 'chat' | 'docs' | 'apiclient';
export const KINDS: readonly Kind[] = ['settings', 'editor', 'terminal', 'chat', 'docs', 'apiclient'];

export const MONO_FONTS = ['DejaVu Sans Mono', 'Liberation Mono', 'Fira Code', 'Inconsolata'] as const;
export const PROP_FONTS = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Open Sans', 'Roboto'] as const;

export interface Style {
  theme: 'light' | 'dark';
  /** Font the secret strings are drawn in. */
  keyFont: string;
  /** Font of the surrounding UI. */
  uiFont: string;
  size: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function palette(theme: Style['theme']) {
  return theme === 'dark'
    ? { bg: '#1e1f24', panel: '#2a2c33', fg: '#e4e6eb', muted: '#9aa0ab', border: '#3b3e47', accent: '#6ea8fe', code: '#17181c', str: '#a5d6a7', kw: '#c792ea', num: '#f78c6c' }
    : { bg: '#f4f5f7', panel: '#ffffff', fg: '#1f2328', muted: '#656d76', border: '#d0d7de', accent: '#0969da', code: '#f6f8fa', str: '#0a3069', kw: '#cf222e', num: '#0550ae' };
}

function page(style: Style, body: string, extraCss = ''): string {
  const p = palette(style.theme);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  html,body{margin:0;padding:0;background:${p.bg};color:${p.fg};font-family:'${style.uiFont}',sans-serif;font-size:${style.size}px;line-height:1.45}
  .k{font-family:'${style.keyFont}',monospace}
  ${extraCss}
  </style></head><body>${body}</body></html>`;
}

export function render(kind: Kind, secrets: string[], style: Style, rng: Rng): string {
  const p = palette(style.theme);
  const s0 = secrets[0];
  const s1 = secrets[1];
  switch (kind) {
    case 'settings': {
      const name = pick(rng, ['Zapier sync', 'CRM export', 'Billing webhook', 'Staging import']);
      const rows = ['Newsletter bot', 'CRM export', 'Old integration']
        .map((n, i) => `<tr><td>${n}</td><td>2025-0${i + 2}-1${i}</td><td class="k">…${pick(rng, ['cF8u', 'a91x', 'Q0zk', 'Te4m'])}</td><td>✕</td></tr>`)
        .join('');
      const keyBlock = s0 !== undefined
        ? `<p>Copy your new key now. You won't be able to see it again.</p>
           <div style="display:flex;gap:8px;align-items:center"><div class="k" style="padding:8px 10px;border:1px solid ${p.border};border-radius:6px;background:${p.code};white-space:nowrap">${esc(s0)}</div><button style="padding:7px 12px;border:0;border-radius:6px;background:${p.accent};color:#fff;font:inherit">Copy</button></div>`
        : `<p>Give the key a descriptive name. One key per integration.</p><div style="padding:8px 10px;border:1px solid ${p.border};border-radius:6px">${name}</div>`;
      return page(style, `
        <div style="padding:18px 24px;color:${p.muted}">Settings &gt; API Keys</div>
        <table style="margin:0 24px;border-collapse:collapse;width:80%;color:${p.muted}">${rows}</table>
        <div style="position:absolute;left:${int(rng, 30, 90)}px;top:${int(rng, 70, 120)}px;background:${p.panel};border:1px solid ${p.border};border-radius:10px;padding:18px 22px;box-shadow:0 10px 30px rgba(0,0,0,.35)">
          <h3 style="margin:0 0 10px 0">API key "${name}" created</h3>
          ${keyBlock}
          ${s1 !== undefined ? `<p style="margin-bottom:4px">Legacy key (valid until revoked):</p><div class="k" style="padding:6px 10px;border:1px dashed ${p.border};border-radius:6px;white-space:nowrap">${esc(s1)}</div>` : ''}
          <p style="color:${p.muted}">Never share keys in screenshots or emails.</p>
        </div>`);
    }
    case 'editor': {
      const lines = [
        `<span style="color:${p.kw}">import</span> { Spreeflo } <span style="color:${p.kw}">from</span> <span style="color:${p.str}">'@spreeflo/sdk'</span>;`,
        '',
        s0 !== undefined
          ? `<span style="color:${p.kw}">const</span> API_KEY = <span style="color:${p.str}">"${esc(s0)}"</span>;`
          : `<span style="color:${p.kw}">const</span> API_KEY = process.env.SPREEFLO_API_KEY;`,
        `<span style="color:${p.kw}">const</span> client = <span style="color:${p.kw}">new</span> Spreeflo({ apiKey: API_KEY, timeout: <span style="color:${p.num}">${int(rng, 1000, 9000)}</span> });`,
        '',
        s1 !== undefined ? `<span style="color:${p.muted}">// legacy: </span><span style="color:${p.str}">${esc(s1)}</span>` : `<span style="color:${p.muted}">// TODO: rotate keys every 90 days</span>`,
        `<span style="color:${p.kw}">export async function</span> sync(list) {`,
        `  <span style="color:${p.kw}">return</span> client.contacts.upsert(list);`,
        '}',
      ];
      const code = lines.map((l, i) => `<div><span style="display:inline-block;width:2.5em;color:${p.muted};text-align:right;margin-right:1.2em">${i + 1}</span>${l}</div>`).join('');
      return page({ ...style, uiFont: style.keyFont }, `
        <div style="background:${p.panel};padding:6px 12px;border-bottom:1px solid ${p.border};font-family:'${style.uiFont}'">sync.ts — crm-sync</div>
        <div class="k" style="padding:10px 0;background:${p.code};white-space:pre">${code}</div>`);
    }
    case 'terminal': {
      const bg = style.theme === 'dark' ? '#0c0c0c' : '#fdfdfd';
      const fg = style.theme === 'dark' ? '#d0d0d0' : '#202020';
      const prompt = `<span style="color:${style.theme === 'dark' ? '#5fd75f' : '#1a7f37'}">dev@box</span>:<span style="color:${p.accent}">~/crm</span>$ `;
      const out = [
        `${prompt}export SPREEFLO_API_KEY=${s0 !== undefined ? esc(s0) : '"$(pass spreeflo/key)"'}`,
        `${prompt}curl -s https://api.spreeflo.com/v1/ping -H "Authorization: Bearer $SPREEFLO_API_KEY"`,
        `{"status":"ok","account":{"name":"Acme Marketing","plan":"professional"}}`,
        s1 !== undefined ? `${prompt}echo ${esc(s1)} &gt;&gt; .env.old` : `${prompt}ls -la`,
        `total ${int(rng, 10, 99)}`,
        `${prompt}<span style="background:${fg}">&nbsp;</span>`,
      ];
      return page({ ...style, uiFont: style.keyFont }, `<div class="k" style="background:${bg};color:${fg};padding:10px 12px;white-space:pre;min-height:100vh">${out.join('\n')}</div>`);
    }
    case 'chat': {
      const bubble = (who: string, html: string, mine: boolean) =>
        `<div style="display:flex;${mine ? 'justify-content:flex-end' : ''};margin:8px 16px"><div style="max-width:80%;background:${mine ? p.accent : p.panel};color:${mine ? '#fff' : p.fg};border-radius:12px;padding:8px 12px;border:1px solid ${p.border}"><div style="font-size:.8em;opacity:.75">${who}</div>${html}</div></div>`;
      const keyHtml = (s: string) => `<span class="k" style="white-space:nowrap">${esc(s)}</span>`;
      return page(style, `
        <div style="padding:10px 16px;border-bottom:1px solid ${p.border};font-weight:bold"># integrations</div>
        ${bubble('Maya', 'Can someone send me the Spreeflo key for the sync job?', false)}
        ${bubble('Tom', s0 !== undefined ? `sure, here: ${keyHtml(s0)}` : 'It is in the vault under spreeflo/sync, please don\'t paste it here.', true)}
        ${s1 !== undefined ? bubble('Tom', `and the old one was ${keyHtml(s1)}`, true) : ''}
        ${bubble('Maya', 'thanks!', false)}`);
    }
    case 'docs': {
      const code = s0 !== undefined
        ? `curl https://api.spreeflo.com/v1/ping \\\n  -H "Authorization: Bearer ${esc(s0)}"`
        : `curl https://api.spreeflo.com/v1/ping \\\n  -H "Authorization: Bearer $SPREEFLO_API_KEY"`;
      const codeBg = style.theme === 'dark' ? '#0d1117' : pick(rng, ['#f6f8fa', '#272822']);
      const codeFg = codeBg === '#272822' || codeBg === '#0d1117' ? '#f8f8f2' : '#24292f';
      return page(style, `
        <div style="max-width:760px;padding:16px 28px">
          <h2 style="margin:0 0 8px 0">Authentication</h2>
          <p>Every request carries your API key in the <code>Authorization</code> header. Create a key in Settings &gt; API Keys.</p>
          <pre class="k" style="background:${codeBg};color:${codeFg};padding:12px 14px;border-radius:6px;overflow:hidden">${code}</pre>
          ${s1 !== undefined ? `<p>Legacy accounts use keys like <code class="k">${esc(s1)}</code> with the data-centre host.</p>` : '<p>A 401 answer means the key is wrong or revoked.</p>'}
        </div>`);
    }
    case 'apiclient': {
      const row = (k: string, v: string, isKey = false) =>
        `<tr><td style="padding:5px 8px;border:1px solid ${p.border};color:${p.muted}">${k}</td><td style="padding:5px 8px;border:1px solid ${p.border}" ${isKey ? 'class="k"' : ''}>${v}</td></tr>`;
      return page(style, `
        <div style="display:flex;gap:8px;padding:12px;border-bottom:1px solid ${p.border}">
          <span style="background:#1a7f37;color:#fff;padding:4px 8px;border-radius:4px">GET</span>
          <span class="k" style="flex:1;padding:4px 8px;border:1px solid ${p.border};border-radius:4px">https://api.spreeflo.com/v1/ping</span>
          <span style="background:${p.accent};color:#fff;padding:4px 12px;border-radius:4px">Send</span>
        </div>
        <div style="padding:8px 12px;color:${p.muted}">Params · Authorization · <b style="color:${p.fg}">Headers (3)</b> · Body</div>
        <table style="margin:0 12px;border-collapse:collapse;background:${p.panel}">
          ${row('Accept', 'application/json')}
          ${row('Authorization', s0 !== undefined ? `Bearer ${esc(s0)}` : 'Bearer {{spreeflo_key}}', true)}
          ${s1 !== undefined ? row('X-Legacy-Key', esc(s1), true) : row('User-Agent', 'PostmanRuntime/7.39.0')}
        </table>
        <div class="k" style="margin:12px;padding:10px;background:${p.code};white-space:pre">200 OK  ${int(rng, 40, 300)} ms\n{ "status": "ok" }</div>`);
    }
  }
}
