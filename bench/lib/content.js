// Text generators per file type. Each type offers header/block/footer (filler) and
// secret(rng, token): a realistic line or two that carries one key-shaped token.
// Filler never contains "sfk_" + 36 alphanumerics nor 32 hex + "-sfN" by construction.
import * as V from './vocab.js';

const cap = (s) => s[0].toUpperCase() + s.slice(1);
export const camel = (r) => r.pick(V.VERBS) + cap(r.pick(V.ADJS)) + cap(r.pick(V.NOUNS));
export const snake = (r) => `${r.pick(V.VERBS)}_${r.pick(V.NOUNS)}` + (r.chance(0.4) ? `_${r.pick(V.NOUNS)}` : '');
export const pascal = (r) => cap(r.pick(V.ADJS)) + cap(r.pick(V.NOUNS)) + r.pick(['Service', 'Client', 'Repository', 'Handler', 'Mapper', 'Factory', 'Store', 'Worker']);
export const noun = (r) => r.pick(V.NOUNS);
export const sentence = (r, lo = 6, hi = 18) => {
  const n = r.int(lo, hi);
  const w = [];
  for (let i = 0; i < n; i++) w.push(r.pick(V.WORDS));
  return cap(w.join(' ')) + r.pick(['.', '.', '.', '?', '!']);
};
export const paragraph = (r) => Array.from({ length: r.int(2, 6) }, () => sentence(r)).join(' ');
export const person = (r) => `${r.pick(V.FIRST)} ${r.pick(V.LAST)}`;
export const email = (r) => `${r.pick(V.FIRST).toLowerCase()}.${r.pick(V.LAST).toLowerCase()}@${r.pick(['example', 'acme', 'mail', 'corp'])}.${r.pick(V.TLDS)}`;
export const ip = (r) => `${r.int(10, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
export const uuid = (r) => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(['8', '9', 'a', 'b'])}${r.hex(3)}-${r.hex(12)}`;
const pad = (n, w = 2) => String(n).padStart(w, '0');
export const isoTime = (r, day = r.int(1, 28), month = r.int(1, 12)) =>
  `2025-${pad(month)}-${pad(day)}T${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}.${pad(r.int(0, 999), 3)}Z`;
const route = (r) => `/v1/${noun(r)}s/${r.chance(0.5) ? r.int(1000, 99999) : noun(r) + 's'}`;
const dc = (token) => { const m = /-sf(\d+)$/.exec(token); return m ? m[1] : null; };
const apiHost = (token) => (dc(token) ? `https://sf${dc(token)}.api.spreeflo.com` : 'https://api.spreeflo.com');
const KEYVAR = ['SPREEFLO_API_KEY', 'SPREEFLO_KEY', 'SF_API_KEY', 'SPREEFLO_TOKEN', 'MARKETING_API_KEY'];

// ---------------------------------------------------------------- code languages
const ts = {
  header: (r) => Array.from({ length: r.int(2, 6) }, () => `import { ${camel(r)}, ${pascal(r)} } from '${r.pick(['./', '../', '@acme/'])}${noun(r)}${r.pick(['', '/' + noun(r)])}';`).join('\n') + '\n',
  block: (r) => {
    const k = r.int(0, 3);
    if (k === 0) {
      const n = camel(r);
      return `export async function ${n}(${noun(r)}Id: string, opts: ${pascal(r)}Options = {}): Promise<${pascal(r)} | null> {\n` +
        `  const ${noun(r)} = await this.${camel(r)}(${noun(r)}Id, { limit: ${r.int(10, 500)}, cursor: opts.cursor });\n` +
        `  if (!${noun(r)}) {\n    logger.${r.pick(['warn', 'debug', 'info'])}('${sentence(r, 3, 7)}', { ${noun(r)}Id });\n    return null;\n  }\n` +
        `  // ${sentence(r)}\n  return ${camel(r)}(${noun(r)}, opts.${noun(r)} ?? ${r.int(0, 100)});\n}\n`;
    }
    if (k === 1) {
      const c = pascal(r);
      let s = `export class ${c} {\n  private readonly ${noun(r)}s = new Map<string, ${pascal(r)}>();\n\n  constructor(private readonly http: HttpClient, private readonly retries = ${r.int(1, 5)}) {}\n`;
      for (let i = r.int(1, 4); i > 0; i--) {
        s += `\n  ${camel(r)}(id: string): ${pascal(r)} | undefined {\n    const hit = this.${noun(r)}s.get(id);\n    if (hit && hit.${r.pick(V.ADJS)}) return hit;\n    return this.http.${r.pick(['get', 'post'])}<${pascal(r)}>(\`${route(r)}/\${id}\`);\n  }\n`;
      }
      return s + '}\n';
    }
    if (k === 2) return `export interface ${pascal(r)}Options {\n` + Array.from({ length: r.int(2, 7) }, () => `  ${noun(r)}${r.pick(['', '?'])}: ${r.pick(['string', 'number', 'boolean', 'Date', 'string[]', pascal(r)])};`).join('\n') + '\n}\n';
    return `const ${noun(r).toUpperCase()}_${r.pick(['TIMEOUT_MS', 'LIMIT', 'RETRIES', 'BATCH_SIZE'])} = ${r.int(1, 30000)};\n/** ${sentence(r)} */\nexport const ${camel(r)} = (${noun(r)}: ${pascal(r)}) => ${noun(r)}.${noun(r)}s.filter((x) => x.${r.pick(V.ADJS)}).map((x) => x.id);\n`;
  },
  secret: (r, t) => r.pick([
    () => `const ${r.pick(['SPREEFLO_API_KEY', 'spreefloApiKey', 'apiKey', 'SF_KEY'])} = '${t}';\n`,
    () => `export const spreeflo = new SpreefloClient({ apiKey: "${t}", baseUrl: '${apiHost(t)}' });\n`,
    () => `const res = await fetch('${apiHost(t)}/v1/ping', {\n  headers: { Authorization: \`Bearer ${t}\` },\n});\n`,
    () => `  ${r.pick(['apiKey', 'spreefloKey', 'token'])}: process.env.SPREEFLO_API_KEY || '${t}',\n`,
  ])(),
};
const js = { ...ts, header: (r) => Array.from({ length: r.int(1, 5) }, () => `const { ${camel(r)} } = require('${r.pick(['./', '../'])}${noun(r)}');`).join('\n') + `\n'use strict';\n` };

const py = {
  header: (r) => `"""${sentence(r)}"""\nfrom __future__ import annotations\n\nimport ${r.pick(['os', 'json', 'logging', 'time'])}\nimport ${r.pick(['typing', 'dataclasses', 'datetime', 're'])}\nfrom ${noun(r)}.${noun(r)} import ${pascal(r)}\n\nlogger = logging.getLogger(__name__)\n`,
  block: (r) => {
    if (r.chance(0.6)) {
      return `\n\ndef ${snake(r)}(${noun(r)}_id: str, *, limit: int = ${r.int(10, 500)}) -> dict | None:\n    """${sentence(r)}"""\n` +
        `    ${noun(r)} = ${snake(r)}(${noun(r)}_id)\n    if not ${noun(r)}:\n        logger.${r.pick(['info', 'warning', 'debug'])}("${sentence(r, 3, 8)} %s", ${noun(r)}_id)\n        return None\n` +
        `    for item in ${noun(r)}.${noun(r)}s[:limit]:\n        if item.${r.pick(V.ADJS)}:\n            yield item\n    return {"${noun(r)}": ${noun(r)}, "count": ${r.int(0, 99)}}\n`;
    }
    let s = `\n\n@dataclasses.dataclass\nclass ${pascal(r)}:\n`;
    for (let i = r.int(2, 6); i > 0; i--) s += `    ${noun(r)}_${noun(r)}: ${r.pick(['str', 'int', 'float', 'bool', 'list[str]', 'datetime.datetime'])} = ${r.pick(['""', '0', 'None', 'False', 'dataclasses.field(default_factory=list)'])}\n`;
    return s + `\n    def ${snake(r)}(self) -> bool:\n        return bool(self.__dict__.get("${noun(r)}"))\n`;
  },
  secret: (r, t) => r.pick([
    () => `\nSPREEFLO_API_KEY = "${t}"\n`,
    () => `\nclient = Spreeflo(api_key="${t}", base_url="${apiHost(t)}")\n`,
    () => `\nheaders = {"Authorization": "Bearer ${t}", "Accept": "application/json"}\n`,
    () => `\nAPI_KEY = os.environ.get("SPREEFLO_API_KEY", '${t}')\n`,
  ])(),
};

const go = {
  header: (r) => `package ${noun(r)}\n\nimport (\n\t"context"\n\t"fmt"\n\t"net/http"\n\t"time"\n)\n`,
  block: (r) => {
    if (r.chance(0.6)) {
      const T = pascal(r);
      return `\n// ${cap(camel(r))} ${sentence(r).toLowerCase()}\nfunc (s *${T}) ${cap(camel(r))}(ctx context.Context, id string) (*${pascal(r)}, error) {\n` +
        `\tctx, cancel := context.WithTimeout(ctx, ${r.int(1, 30)}*time.Second)\n\tdefer cancel()\n\treq, err := http.NewRequestWithContext(ctx, http.Method${cap(r.pick(['get', 'post', 'put']))}, fmt.Sprintf("%s${route(r)}/%s", s.baseURL, id), nil)\n` +
        `\tif err != nil {\n\t\treturn nil, fmt.Errorf("${r.pick(V.VERBS)} ${noun(r)}: %w", err)\n\t}\n\tresp, err := s.client.Do(req)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tdefer resp.Body.Close()\n\treturn decode${pascal(r)}(resp.Body)\n}\n`;
    }
    let s = `\ntype ${pascal(r)} struct {\n`;
    for (let i = r.int(2, 7); i > 0; i--) { const f = cap(noun(r)); s += `\t${f}${cap(noun(r))} ${r.pick(['string', 'int64', 'bool', 'time.Time', '[]string', '*' + pascal(r)])} \`json:"${noun(r)}_${noun(r)},omitempty"\`\n`; }
    return s + '}\n';
  },
  secret: (r, t) => r.pick([
    () => `\nconst spreefloAPIKey = "${t}"\n`,
    () => `\nfunc authorize(req *http.Request) {\n\treq.Header.Set("Authorization", "Bearer ${t}")\n}\n`,
    () => `\nvar defaultConfig = Config{BaseURL: "${apiHost(t)}", APIKey: "${t}", Timeout: 10 * time.Second}\n`,
  ])(),
};

const java = {
  header: (r) => `package com.acme.${noun(r)}.${noun(r)};\n\nimport java.util.List;\nimport java.util.Map;\nimport java.util.Optional;\nimport java.time.Instant;\n\npublic class ${pascal(r)} {\n`,
  block: (r) => {
    if (r.chance(0.7)) {
      return `\n    /**\n     * ${sentence(r)}\n     */\n    public Optional<${pascal(r)}> ${camel(r)}(String ${noun(r)}Id, int limit) {\n        if (${noun(r)}Id == null || ${noun(r)}Id.isBlank()) {\n            log.${r.pick(['warn', 'info', 'debug'])}("${sentence(r, 3, 7)} {}", ${noun(r)}Id);\n            return Optional.empty();\n        }\n        List<${pascal(r)}> items = repository.findBy${cap(noun(r))}(${noun(r)}Id, Math.min(limit, ${r.int(10, 1000)}));\n        return items.stream().filter(x -> x.is${cap(r.pick(V.ADJS))}()).findFirst();\n    }\n`;
    }
    return `\n    private final Map<String, ${pascal(r)}> ${noun(r)}ById = new java.util.concurrent.ConcurrentHashMap<>();\n    private static final int ${noun(r).toUpperCase()}_LIMIT = ${r.int(1, 5000)};\n`;
  },
  footer: () => '}\n',
  secret: (r, t) => r.pick([
    () => `\n    private static final String SPREEFLO_API_KEY = "${t}";\n`,
    () => `\n    private final SpreefloClient spreeflo = SpreefloClient.builder().apiKey("${t}").build();\n`,
    () => `\n        request.setHeader("Authorization", "Bearer ${t}");\n`,
  ])(),
};

// ---------------------------------------------------------------- config formats
const yaml = {
  header: (r) => r.pick([
    () => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${r.pick(V.PROJECTS)}\n  labels:\n    app: ${r.pick(V.PROJECTS)}\n`,
    () => `version: "3.9"\nservices:\n`,
    () => `name: ${cap(r.pick(V.VERBS))} ${noun(r)}s\non:\n  push:\n    branches: [main]\njobs:\n`,
  ])(),
  block: (r) => {
    const k = r.int(0, 2);
    if (k === 0) return `  ${noun(r)}-${noun(r)}:\n    image: registry.acme.io/${r.pick(V.PROJECTS)}:${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 99)}\n    restart: unless-stopped\n    environment:\n      LOG_LEVEL: ${r.pick(['info', 'debug', 'warn'])}\n      ${noun(r).toUpperCase()}_URL: http://${noun(r)}:${r.int(3000, 9999)}\n      SPREEFLO_API_KEY: \${SPREEFLO_API_KEY}\n    ports:\n      - "${r.int(3000, 9999)}:${r.int(3000, 9999)}"\n`;
    if (k === 1) return `  ${snake(r)}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: ${sentence(r, 2, 5)}\n        run: npm ci && npm run ${r.pick(['test', 'build', 'lint'])}\n        env:\n          NODE_OPTIONS: --max-old-space-size=${r.pick([2048, 4096])}\n`;
    return `${noun(r)}_${noun(r)}:\n  enabled: ${r.pick(['true', 'false'])}\n  ${noun(r)}: ${r.int(1, 1000)}\n  # ${sentence(r)}\n  ${noun(r)}s:\n` + Array.from({ length: r.int(1, 5) }, () => `    - ${noun(r)}-${r.int(1, 99)}`).join('\n') + '\n';
  },
  secret: (r, t) => r.pick([
    () => `spreeflo:\n  base_url: ${apiHost(t)}\n  api_key: ${t}\n`,
    () => `      SPREEFLO_API_KEY: "${t}"\n`,
    () => `  apiKey: '${t}'\n`,
  ])(),
};

const json = {
  header: () => '{\n',
  block: (r) => {
    const k = r.int(0, 2);
    if (k === 0) return `  "${noun(r)}_${r.int(1, 99999)}": {\n    "id": "${uuid(r)}",\n    "name": "${person(r)}",\n    "email": "${email(r)}",\n    "created_at": "${isoTime(r)}",\n    "tags": [${Array.from({ length: r.int(0, 4) }, () => `"${noun(r)}"`).join(', ')}],\n    "score": ${r.int(0, 1000) / 10}\n  },\n`;
    if (k === 1) return `  "${noun(r)}${cap(noun(r))}${r.int(1, 9999)}": { "enabled": ${r.pick(['true', 'false'])}, "limit": ${r.int(1, 10000)}, "region": "${r.pick(['eu-west-1', 'us-east-1', 'ap-south-1'])}" },\n`;
    return `  "${noun(r)}_hash_${r.int(1, 99999)}": "${r.hex(r.pick([32, 40, 64]))}",\n  "${noun(r)}_blob_${r.int(1, 99999)}": "${r.b64(r.int(20, 200))}",\n`;
  },
  footer: (r) => `  "schema_version": ${r.int(1, 9)}\n}\n`,
  secret: (r, t) => r.pick([
    () => `  "spreeflo": { "apiKey": "${t}", "baseUrl": "${apiHost(t)}" },\n`,
    () => `  "SPREEFLO_API_KEY": "${t}",\n`,
    () => `  "integrations_${r.int(1, 9999)}": {\n    "provider": "spreeflo",\n    "credentials": {\n      "api_key": "${t}"\n    }\n  },\n`,
  ])(),
};

const env = {
  header: (r) => `# ${r.pick(V.PROJECTS)} environment (${r.pick(['production', 'staging', 'local'])})\n`,
  block: (r) => {
    const k = r.int(0, 4);
    const n = `${noun(r).toUpperCase()}_${r.pick(['URL', 'HOST', 'PORT', 'TIMEOUT', 'ENABLED', 'REGION', 'BUCKET', 'USER'])}`;
    if (k === 0) return `${n}=postgres://${noun(r)}:${r.b62(12)}@db-${r.int(1, 9)}.internal:5432/${noun(r)}\n`;
    if (k === 1) return `${n}=${r.int(1, 65535)}\n`;
    if (k === 2) return `# ${sentence(r)}\n`;
    if (k === 3) return `SPREEFLO_API_KEY=\${${r.pick(['VAULT_SPREEFLO_KEY', 'SPREEFLO_KEY_FROM_CI'])}}\n`;
    return `${n}=${r.pick(['true', 'false', 'eu-west-1', 'https://' + noun(r) + '.acme.io', noun(r) + '-' + r.int(1, 99)])}\n`;
  },
  secret: (r, t) => { const q = r.pick(['', '', '"']); return `${r.pick(KEYVAR)}=${q}${t}${q}\n`; },
};

const ini = {
  header: (r) => `; ${sentence(r)}\n`,
  block: (r) => `\n[${noun(r)}${r.pick(['', ':' + noun(r), '.' + noun(r)])}]\n` + Array.from({ length: r.int(2, 8) }, () => `${noun(r)}_${noun(r)} = ${r.pick([String(r.int(0, 9999)), 'true', 'false', noun(r), '/var/lib/' + noun(r), 'https://' + noun(r) + '.acme.io'])}`).join('\n') + '\n',
  secret: (r, t) => r.pick([
    () => `\n[spreeflo]\nbase_url = ${apiHost(t)}\napi_key = ${t}\n`,
    () => `spreeflo_api_key = ${t}\n`,
  ])(),
};

// ---------------------------------------------------------------- logs, data, docs, html
const logLine = (r) => {
  const ts = isoTime(r);
  const k = r.int(0, 5);
  if (k <= 2) return `${ts} ${r.pick(V.LEVELS)} [${r.pick(V.PROJECTS)}] req=${r.hex(16)} ${r.pick(V.HTTP)} ${route(r)} status=${r.pick(V.STATUS)} dur=${r.int(1, 3000)}ms ip=${ip(r)}\n`;
  if (k === 3) return `${ts} ${r.pick(V.LEVELS)} [${r.pick(V.PROJECTS)}] ${sentence(r, 4, 12)} ${noun(r)}_id=${uuid(r)} etag="${r.hex(32)}"\n`;
  if (k === 4) return `{"ts":"${ts}","level":"${r.pick(V.LEVELS).toLowerCase()}","svc":"${r.pick(V.PROJECTS)}","msg":"${sentence(r, 3, 9)}","trace_id":"${r.hex(32)}","span_id":"${r.hex(16)}","user":"${email(r)}"}\n`;
  return `${ts} ${r.pick(['WARN', 'ERROR'])} [${r.pick(V.PROJECTS)}] commit=${r.hex(40)} ${sentence(r, 3, 8)}\n`;
};
const log = {
  block: logLine,
  secret: (r, t) => r.pick([
    () => `${isoTime(r)} DEBUG [crm-bridge] outgoing request GET ${apiHost(t)}/v1/ping headers={"Authorization":"Bearer ${t}","User-Agent":"crm-bridge/2.3"}\n`,
    () => `${isoTime(r)} INFO [zapier-sync] loaded config from env: SPREEFLO_API_KEY=${t} region=${dc(t) ? 'sf' + dc(t) : 'global'}\n`,
    () => `${isoTime(r)} ERROR [import-worker] ping failed for key ${t}: 429 rate_limited, retry in 2s\n`,
  ])(),
};

const csv = {
  header: () => 'id,name,email,company,created_at,status,api_key,notes\n',
  block: (r) => `${r.int(1, 9999999)},${person(r)},${email(r)},"${r.pick(V.COMPANIES)}",${isoTime(r)},${r.pick(['active', 'revoked', 'pending'])},,"${sentence(r, 3, 10).replace(/"/g, '')}"\n`,
  secret: (r, t) => `${r.int(1, 9999999)},${person(r)},${email(r)},"${r.pick(V.COMPANIES)}",${isoTime(r)},active,${t},"${r.pick(['Zapier sync', 'CRM export', 'Webhook relay'])}"\n`,
};

const md = {
  header: (r) => `# ${cap(r.pick(V.PROJECTS))}\n\n${paragraph(r)}\n`,
  block: (r) => {
    const k = r.int(0, 4);
    if (k === 0) return `\n## ${cap(sentence(r, 2, 5).slice(0, -1))}\n`;
    if (k === 1) return `\n\`\`\`bash\nexport SPREEFLO_API_KEY=sfk_your_key_here\nnpx ${r.pick(V.PROJECTS)} ${r.pick(V.VERBS)} --${noun(r)} ${r.int(1, 99)}\n\`\`\`\n`;
    if (k === 2) return '\n' + Array.from({ length: r.int(2, 6) }, () => `- ${sentence(r, 3, 10)}`).join('\n') + '\n';
    if (k === 3) return `\n| ${noun(r)} | ${noun(r)} | ${noun(r)} |\n| --- | --- | --- |\n` + Array.from({ length: r.int(2, 6) }, () => `| ${noun(r)} | ${r.int(0, 999)} | \`${r.hex(7)}\` |`).join('\n') + '\n';
    return `\n${paragraph(r)}\n`;
  },
  secret: (r, t) => r.pick([
    () => `\nTo try it locally:\n\n\`\`\`bash\ncurl -H "Authorization: Bearer ${t}" ${apiHost(t)}/v1/ping\n\`\`\`\n`,
    () => `\nThe staging key is \`${t}\` (ask ${person(r)} before rotating it).\n`,
  ])(),
};

const html = {
  header: (r) => `<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>${cap(r.pick(V.PROJECTS))}</title>\n  <link rel="stylesheet" href="/assets/app.${r.hex(8)}.css">\n</head>\n<body>\n`,
  block: (r) => `  <section class="${noun(r)}-${noun(r)}">\n    <h2>${sentence(r, 2, 5)}</h2>\n    <p>${paragraph(r)}</p>\n    <a href="/${noun(r)}s/${r.int(1, 9999)}" data-id="${uuid(r)}">${cap(r.pick(V.VERBS))} ${noun(r)}</a>\n  </section>\n`,
  footer: (r) => `  <script src="/assets/app.${r.hex(8)}.js"></script>\n</body>\n</html>\n`,
  secret: (r, t) => r.pick([
    () => `  <script>window.SPREEFLO_CONFIG = { apiKey: "${t}", debug: false };</script>\n`,
    () => `  <div id="spreeflo-widget" data-api-key="${t}"></div>\n`,
  ])(),
};

export const TYPES = { ts, js, py, go, java, yaml, json, env, ini, log, csv, md, html };

/** Minified bundle body: one very long line of plausible minified JS. */
export function minifiedChunk(r) {
  const v = () => r.pick('abcdefghijklmnopqrstuvwxyz') + (r.chance(0.3) ? r.pick('0123456789') : '');
  const k = r.int(0, 4);
  if (k === 0) return `function ${v()}(${v()},${v()}){var ${v()}=${v()}.${noun(r)}||{};return ${v()}.${camel(r)}(${v()},${r.int(0, 999)})}`;
  if (k === 1) return `${v()}.prototype.${camel(r)}=function(){return this.${noun(r)}&&this.${noun(r)}.length>${r.int(0, 9)}?this.${noun(r)}[0]:null};`;
  if (k === 2) return `var ${v()}="${sentence(r, 2, 6).replace(/"/g, '')}",${v()}=${r.int(0, 99999)},${v()}=[${Array.from({ length: r.int(1, 6) }, () => `"${noun(r)}"`).join(',')}];`;
  if (k === 3) return `${v()}(${r.int(0, 9999)},function(${v()},${v()},${v()}){"use strict";${v()}.d(${v()},{${camel(r)}:function(){return ${v()}}})});`;
  return `if(!${v()}.${noun(r)})throw new Error("${sentence(r, 2, 6).replace(/"/g, '')}");`;
}
