// @ts-check
// The GitHub Action's logic: action.yml's scan step runs `node scripts/action.mjs`. It decides what to
// scan for the event (a pull request's commits, a push's commits, or the checkout), runs spreeflo-scan
// once, and writes the step outputs, annotations and the job summary from that run's JSON report.
// Plain JavaScript with no dependencies, so the action runs from its repository checkout without an
// install or a build; `// @ts-check` and the JSDoc types keep it under `npm run typecheck`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {Record<string, string | undefined>} Env */
/**
 * What to run: `history RANGE` (RANGE null: all history) or `scan PATH`, with notes for the summary.
 * @typedef {{ command: 'history' | 'scan' | 'none', range: string | null, notes: string[], fork: boolean }} Plan
 */

/** A failure the user fixes in the workflow (exit code 2, like spreeflo-scan's usage errors). */
export class ActionError extends Error {}

const ACTION_ROOT = fileURLToPath(new URL('..', import.meta.url));
const NO_COMMIT = /^0+$/;
const FETCH_DEPTH_HINT = 'fetch-depth: 0 needed: check out with `actions/checkout` and `with: { fetch-depth: 0 }` so the commits to scan are in the clone';
const PLACES_SHOWN = 10;

/** An input as the runner would pass it to a JavaScript action (`INPUT_UPLOAD-SARIF`); action.yml maps them so. */
/** @param {Env} env @param {string} name */
export function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** `args`: one argument per line, never split on spaces nor glob-expanded; blank lines are dropped. */
export function parseArgs(/** @type {string} */ text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** @param {string} repo @param {string[]} args */
function git(repo, args) {
  const res = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

const short = (/** @type {string} */ sha) => sha.slice(0, 12);
const hasCommit = (/** @type {string} */ repo, /** @type {string} */ rev) => git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
const isShallow = (/** @type {string} */ repo) => git(repo, ['rev-parse', '--is-shallow-repository']) === 'true';

/** @param {string} repo @param {string} sha @param {string} what */
function requireCommit(repo, sha, what) {
  if (!hasCommit(repo, sha)) throw new ActionError(`${what} ${short(sha)} is not in the clone${isShallow(repo) ? ' (a shallow clone)' : ''}; ${FETCH_DEPTH_HINT}.`);
}

/**
 * What to scan. mode `scan`: the checkout; `history`: the `range` input, else the event's commits, else all
 * history; `auto`: `history` for pull requests, merge queues and pushes (or a `range` input), `scan` otherwise.
 * @param {{ mode: string, range: string, eventName: string, event: any, repo: string }} ctx
 * @returns {Plan}
 */
export function planScan(ctx) {
  const { mode, range, eventName, event, repo } = ctx;
  if (!['auto', 'history', 'scan'].includes(mode)) throw new ActionError(`mode must be auto, history or scan, not "${mode}"`);
  if (mode === 'scan') return { command: 'scan', range: null, notes: [], fork: false };
  if (range) {
    for (const end of range.split(/\.\.\.?/).filter(Boolean)) requireCommit(repo, end, 'revision');
    return { command: 'history', range, notes: [], fork: false };
  }
  const fromEvent = eventPlan(eventName, event, repo);
  if (fromEvent) return fromEvent;
  return mode === 'history' ? { command: 'history', range: null, notes: ['no range for this event: all history scanned'], fork: false } : { command: 'scan', range: null, notes: [], fork: false };
}

/** @param {string} eventName @param {any} event @param {string} repo @returns {Plan | null} */
function eventPlan(eventName, event, repo) {
  const pr = event?.pull_request;
  if (eventName.startsWith('pull_request') && pr?.base?.sha && pr?.head?.sha) {
    requireCommit(repo, pr.base.sha, "the pull request's base");
    requireCommit(repo, pr.head.sha, "the pull request's head");
    // A deleted fork has no head repository: still a fork.
    const fork = pr.head.repo?.full_name !== pr.base.repo?.full_name;
    const notes = [`pull request #${pr.number}${fork ? ` from the fork ${pr.head.repo?.full_name ?? '(deleted)'}` : ''}: the commits it adds`];
    return { command: 'history', range: `${pr.base.sha}..${pr.head.sha}`, notes, fork };
  }
  const group = event?.merge_group;
  if (eventName === 'merge_group' && group?.base_sha && group?.head_sha) {
    requireCommit(repo, group.base_sha, "the merge group's base");
    requireCommit(repo, group.head_sha, "the merge group's head");
    return { command: 'history', range: `${group.base_sha}..${group.head_sha}`, notes: ['merge queue: the commits the group adds'], fork: false };
  }
  if (eventName === 'push' && typeof event?.after === 'string') return pushPlan(event, repo);
  return null;
}

/** @param {any} event @param {string} repo @returns {Plan} */
function pushPlan(event, repo) {
  const { before, after } = event;
  if (event.deleted || NO_COMMIT.test(after)) return { command: 'none', range: null, notes: [`${event.ref} deleted: nothing to scan`], fork: false };
  requireCommit(repo, after, 'the pushed commit');
  if (typeof before !== 'string' || NO_COMMIT.test(before)) return newTipPlan(event, repo, `new ${event.ref}`);
  const beforeThere = hasCommit(repo, before);
  if (beforeThere) {
    const base = git(repo, ['merge-base', before, after]);
    if (base === before) return { command: 'history', range: `${before}..${after}`, notes: [], fork: false };
    // Force-push: the commits after the fork point; settings are read as the merge base has them.
    if (base) return { command: 'history', range: `${base}..${after}`, notes: [`force-push: ${short(before)} is not an ancestor of ${short(after)}; scanned the commits after their merge base ${short(base)}`], fork: false };
  }
  // A shallow clone lacks the old tip or the history joining it to the new one: a fetch-depth matter, not a force-push.
  if (isShallow(repo)) {
    const missing = beforeThere ? `the history joining ${short(before)} to ${short(after)}` : `the previous tip ${short(before)}`;
    throw new ActionError(`${missing} is not in the clone (a shallow clone); ${FETCH_DEPTH_HINT}.`);
  }
  // A full clone without the old tip: a force-push left it without a ref. Or the two share no history.
  return newTipPlan(event, repo, `force-push: the previous tip ${short(before)} is not in the clone or shares no history with ${short(after)}`);
}

/**
 * A tip with nothing to compare to (a new branch or tag, a force-push whose old tip is gone): the
 * commits not on the default branch; the default branch itself (or without it in the clone), all
 * history reachable from the tip.
 * @param {any} event @param {string} repo @param {string} why @returns {Plan}
 */
function newTipPlan(event, repo, why) {
  const def = event.repository?.default_branch;
  const defSha = def && event.ref !== `refs/heads/${def}` ? hasCommit(repo, `refs/remotes/origin/${def}`) : null;
  if (defSha) return { command: 'history', range: `${defSha}..${event.after}`, notes: [`${why}: scanned the commits not on ${def} (${short(defSha)})`], fork: false };
  const partial = isShallow(repo) ? ` (a shallow clone: commits before the fetched ones were not scanned; ${FETCH_DEPTH_HINT})` : '';
  return { command: 'history', range: event.after, notes: [`${why}: scanned ${short(event.after)} and the history behind it${partial}`], fork: false };
}

/** The command that runs spreeflo-scan: an installed one (`command`), else the published package. */
export function cliCommand(/** @type {Env} */ env) {
  const installed = input(env, 'command');
  if (installed) return [installed];
  const version = input(env, 'version') || JSON.parse(readFileSync(join(ACTION_ROOT, 'package.json'), 'utf8')).version;
  return ['npx', '--yes', `spreeflo-scan@${version}`];
}

/**
 * The spreeflo-scan arguments for a plan. Files are absolute (a history scan runs in the repository folder).
 * @param {Plan} plan @param {Env} env @param {{ workspace: string, jsonReport: string, sarifFile: string | null }} files
 */
export function cliArgs(plan, env, files) {
  const abs = (/** @type {string} */ p) => (isAbsolute(p) ? p : resolve(files.workspace, p));
  const args = plan.command === 'history' ? ['history', ...(plan.range ? [plan.range] : [])] : ['scan', abs(input(env, 'path') || '.')];
  const baseline = input(env, 'baseline');
  if (baseline) args.push('--baseline', abs(baseline));
  args.push('--format', input(env, 'format') || 'text');
  const output = input(env, 'output');
  if (output) args.push('--output', abs(output));
  args.push('--json-output', files.jsonReport);
  if (files.sarifFile) args.push('--sarif-output', abs(files.sarifFile));
  return [...args, ...parseArgs(env['INPUT_ARGS'] ?? ''), '--no-progress'];
}

const shellQuote = (/** @type {string} */ s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Workflow-command escaping (as @actions/core does), so a file name cannot end the command or start another. */
const escapeData = (/** @type {string} */ s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (/** @type {string} */ s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Markdown-safe text for the summary: names and paths come from the scanned repository and from Spreeflo. */
const md = (/** @type {string} */ s) => s.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([\\`*_[\]|~])/g, '\\$1');

/** @param {any} place */
function placeText(place) {
  const commit = place.commit ? ` (commit ${short(place.commit)})` : '';
  if (place.source === 'commit-message') return `message of commit ${short(place.commit ?? place.path)}`;
  if (place.source === 'tag-message') return `message of tag ${md(place.tag ?? place.path)}`;
  if (place.source === 'note') return `note on ${short(place.path)}`;
  return `${md(place.path)}${place.inName ? ' (in the name)' : `:${place.line}`}${commit}`;
}

/** The key's name from --verify, or the one guessed offline; '' when neither is known. @param {any} verification */
function keyName(verification) {
  if (verification?.keyName) return String(verification.keyName);
  if (verification?.probableName) return `probably ${verification.probableName}`;
  return '';
}

/**
 * The job summary: what was scanned and each key to revoke (redacted form, name, status, places).
 * Built from the JSON report's `keys`, which holds no whole key unless --show-secrets, and never reads one.
 * @param {{ plan: Plan, code: number, report: any, error?: string, sarifNote?: string }} r
 */
export function renderSummary({ plan, code, report, error, sarifNote }) {
  const lines = [];
  const keys = /** @type {any[]} */ (report?.keys ?? []);
  if (error || code === 2 || code === -1) lines.push('## spreeflo-scan failed', '', error ? md(error) : 'See the scan step\'s log.');
  else if (keys.length > 0) lines.push(`## spreeflo-scan: ${keys.length} Spreeflo API key${keys.length === 1 ? '' : 's'} to revoke`);
  else if (code === 1) lines.push('## spreeflo-scan: not everything was read', '', `No key found, but ${report?.summary?.unread ?? 'some'} item(s) that could hold one were not read (listed in the step's log); the gate fails on them.`);
  else lines.push('## spreeflo-scan: no Spreeflo API keys found');
  lines.push('');
  const what = plan.command === 'scan' ? 'the checkout' : plan.command === 'none' ? 'nothing' : plan.range ? `commits \`${plan.range.replace(/`/g, '')}\`` : 'all history';
  lines.push(`Scanned: ${what}.`);
  for (const note of [...plan.notes, ...(sarifNote ? [sarifNote] : [])]) lines.push(`- ${md(note)}`);
  if (keys.length > 0) {
    lines.push('', '| Key | Name | Status | Places |', '| --- | --- | --- | --- |');
    for (const k of keys) {
      const places = /** @type {any[]} */ (k.places ?? []);
      const shown = places.slice(0, PLACES_SHOWN).map(placeText);
      const more = (k.occurrences ?? places.length) - shown.length;
      if (more > 0) shown.push(`and ${more} more`);
      const status = k.verification?.status === 'unchecked' ? 'not checked' : md(String(k.verification?.status ?? ''));
      lines.push(`| \`${String(k.redacted).replace(/[`|]/g, '')}\` | ${md(keyName(k.verification))} | ${status} | ${shown.join('<br>')} |`);
    }
    lines.push(
      '',
      'Revoke each key in Spreeflo (Settings > API Keys > trash icon next to its name > Confirm) and give its integration a new key, then remove it from the code. ' +
        'Removing it without revoking it does not help: it has been pushed. Names come from `--verify` (add it to `args`).',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `::error` annotations on the places of each finding in files (messages and notes have no line to mark). */
export function annotations(/** @type {any} */ report) {
  return /** @type {any[]} */ (report?.findings ?? [])
    .filter((f) => f.source === 'file' || f.source === 'history')
    .map((f) => {
      const name = keyName(f.verification);
      const text = `Spreeflo API key ${f.redacted}${name ? ` (${name})` : ''}${f.commit ? ` added in commit ${short(f.commit)}` : ''}: revoke it in Spreeflo, then remove it.`;
      return `::${f.confidence === 'high' ? 'error' : 'warning'} file=${escapeProperty(f.path)},line=${Math.max(1, f.line)},title=${escapeProperty('Spreeflo API key')}::${escapeData(text)}`;
    });
}

/** Appends `name=value` outputs in the delimiter form, which no value can break. */
function writeOutputs(/** @type {string | undefined} */ file, /** @type {Record<string, string>} */ outputs) {
  if (!file) return;
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `spreeflo_scan_${Math.random().toString(36).slice(2)}`;
    appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
  }
}

/**
 * The whole step: plan, run, outputs, annotations, summary. Returns spreeflo-scan's exit code (2 for
 * a workflow error); the step itself passes, so the SARIF upload runs before the verdict step fails the job.
 * @param {Env} env @param {{ log?: (line: string) => void }} [io]
 */
export function runAction(env, io = {}) {
  const log = io.log ?? ((line) => process.stdout.write(`${line}\n`));
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const scanPath = resolve(workspace, input(env, 'path') || '.');
  const event = env.GITHUB_EVENT_PATH && existsSync(env.GITHUB_EVENT_PATH) ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {};
  const temp = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'spreeflo-scan-'));
  const jsonReport = join(temp, 'report.json');
  /** @type {Plan} */
  let plan = { command: 'none', range: null, notes: [], fork: false };
  let code = 0;
  let error;
  let report = null;
  let sarifNote;
  const upload = input(env, 'upload-sarif') === 'true';
  const sarifFile = upload ? input(env, 'sarif-file') || 'spreeflo-scan.sarif' : null;
  try {
    plan = planScan({ mode: input(env, 'mode') || 'auto', range: input(env, 'range'), eventName: env.GITHUB_EVENT_NAME ?? '', event, repo: scanPath });
    if (upload && plan.fork) sarifNote = 'SARIF not uploaded: a pull request from a fork gets a read-only token (docs/ci.md has the workflow_run recipe); the report is in the sarif-file output';
    if (plan.command !== 'none') {
      const argv = [...cliCommand(env), ...cliArgs(plan, env, { workspace, jsonReport, sarifFile })];
      log(`spreeflo-scan action: ${argv.map(shellQuote).join(' ')}`);
      const res = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: plan.command === 'history' ? scanPath : workspace, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env, NO_COLOR: '1' } });
      code = res.status ?? 2;
      if (res.error) error = `could not run ${argv[0]}: ${res.error.message}`;
      if (existsSync(jsonReport)) report = JSON.parse(readFileSync(jsonReport, 'utf8'));
    }
  } catch (err) {
    if (!(err instanceof ActionError)) throw err;
    code = 2;
    error = err.message;
    log(`::error::${escapeData(`spreeflo-scan action: ${err.message}`)}`);
  }
  for (const line of annotations(report)) log(line);
  for (const note of plan.notes) log(`spreeflo-scan action: ${note}`);
  if (sarifNote) log(`::notice::${escapeData(sarifNote)}`);
  const wroteSarif = sarifFile !== null && existsSync(resolve(workspace, sarifFile));
  writeOutputs(env.GITHUB_OUTPUT, {
    'exit-code': String(code),
    range: plan.range ?? '',
    'json-report': report ? jsonReport : '',
    'sarif-file': wroteSarif && sarifFile ? sarifFile : '',
    'upload-sarif': String(wroteSarif && !plan.fork),
  });
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, renderSummary({ plan, code, report, ...(error ? { error } : {}), ...(sarifNote ? { sarifNote } : {}) }));
  return code;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runAction(process.env);
