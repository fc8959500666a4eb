// Deterministic generator of a git repository that looks like a real project's history,
// with Spreeflo keys planted in the ways keys really leak into history (see bench/README.md,
// "History benchmark"). Built with one `git fast-import` stream, then repacked so that blobs are
// stored as deltas, as in a cloned repository.
//
//   ensureHistoryRepo({ out, commits, scale, seed, force, log }) -> manifest
//
// The manifest (`<out>.manifest.json`) lists, for every planted key, where `spreeflo-scan history`
// must report it: the commit that introduced it, the path (null for a commit message), the line
// (in the blob, or in the commit message, 1-based) and the key's SHA-256. Keys themselves are never
// written to the manifest or printed.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Rng } from './prng.js';
import * as V from './vocab.js';
import { TYPES, camel, noun, sentence, paragraph, minifiedChunk } from './content.js';
import { pathFor } from './corpus.js';
import { makeV1, makeV2, makeDecoy, selfTest, isValidV1, isValidV2, DECOY_KINDS } from './keys.js';

export const HISTORY_GEN_VERSION = 2; // bump whenever the generated history changes for given parameters

const BASE_COMMITS = 20000;
const BASE_FILES = 3000;
/** Median size of a generated text file; git/git's blobs average 34 KB (161,000 blobs, 5.5 GB). */
const BASE_FILE_KB = 2.2;
const START_TIME = 1546300800; // 2019-01-01T00:00:00Z
const SPAN_SECONDS = 6 * 365 * 86400;
const KEYISH = /sfk_|-sf\d/; // random edits never touch a line that carries a planted key or decoy

const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const cap = (s) => s[0].toUpperCase() + s.slice(1);

const TYPE_WEIGHTS = [[22, 'ts'], [8, 'js'], [12, 'py'], [8, 'go'], [7, 'java'], [9, 'yaml'], [9, 'json'],
  [10, 'md'], [2, 'env'], [3, 'ini'], [1, 'log'], [1, 'csv'], [5, 'html']];
const CODE_EXT = { ts: '.ts', js: '.js', py: '.py', go: '.go', java: '.java' };
const SUBDIRS = ['core', 'api', 'handlers', 'models', 'utils', 'services', 'lib', 'jobs', 'adapters', 'domain', 'http', 'store'];

// ---------------------------------------------------------------- file states (immutable)
function buildText(r, type, size) {
  const T = TYPES[type];
  let s = T.header ? T.header(r) : '';
  const foot = T.footer ? T.footer(r) : '';
  do s += T.block(r); while (s.length + foot.length < size);
  return s + foot;
}
function textState(type, text, { crlf = false } = {}) {
  const finalNl = text.endsWith('\n');
  const lines = (finalNl ? text.slice(0, -1) : text).split('\n');
  return { kind: 'text', type, lines, crlf, finalNl, target: Math.max(400, text.length) };
}
function serialize(st) {
  if (st.kind === 'bin') return st.buf;
  if (st.kind === 'min') return Buffer.from(`${st.head}\n${st.chunks.join('')}\n`, 'utf8');
  const eol = st.crlf ? '\r\n' : '\n';
  return Buffer.from(st.lines.join(eol) + (st.finalNl ? eol : ''), 'utf8');
}
const textBytes = (st) => st.lines.reduce((n, l) => n + l.length + 1, 0);
const blockLines = (r, type) => TYPES[type].block(r).replace(/\n$/, '').split('\n');
const snippetLines = (r, type, token) => TYPES[type].secret(r, token).replace(/^\n+/, '').replace(/\n$/, '').split('\n');

/** Small, line-level edit(s), as in a real commit; lines carrying keys or decoys are left alone. */
function editText(r, st, ops = r.int(1, 3)) {
  const lines = st.lines.slice();
  const grow = textBytes(st) < st.target ? 0.3 : 0.12;
  for (let o = 0; o < ops; o++) {
    const x = r.float();
    const i = r.int(0, lines.length - 1);
    if (x < 0.55) {
      const n = r.int(1, 3);
      for (let j = i; j < Math.min(lines.length, i + n); j++) {
        if (KEYISH.test(lines[j])) continue;
        if (/\d/.test(lines[j]) && r.chance(0.5)) lines[j] = lines[j].replace(/\d+/, String(r.int(0, 9999)));
        else { const b = blockLines(r, st.type).filter((l) => l.trim()); if (b.length) lines[j] = r.pick(b); }
      }
    } else if (x < 0.55 + grow) {
      lines.splice(r.int(0, lines.length), 0, ...blockLines(r, st.type));
    } else {
      const n = Math.min(r.int(1, 8), lines.length - 3);
      if (n <= 0) continue;
      const seg = lines.slice(i, i + n);
      if (seg.some((l) => KEYISH.test(l))) continue;
      lines.splice(i, n);
    }
  }
  return { ...st, lines };
}
/** Insert a key snippet at line index `pos` (0-based, clamped); returns the new state and the key's 1-based line. */
function plantText(r, st, token, pos = null, snippet = null) {
  const snip = snippet ?? snippetLines(r, st.type, token);
  const lines = st.lines.slice();
  const at = Math.max(0, Math.min(lines.length, pos ?? r.int(Math.min(3, lines.length), lines.length)));
  lines.splice(at, 0, ...snip);
  const next = { ...st, lines };
  return { st: next, line: lineOf(next, token), snippet: snip, pos: at };
}
function lineOf(st, token) {
  if (st.kind === 'min') return st.chunks.join('').includes(token) ? 2 : -1;
  let found = -1;
  for (let i = 0; i < st.lines.length; i++) {
    if (st.lines[i].includes(token)) {
      if (found >= 0) throw new Error('planted key found twice in one file');
      found = i + 1;
    }
  }
  return found;
}

function binState(r, magic, size) { return { kind: 'bin', buf: Buffer.concat([magic, r.bytes(size)]) }; }
function editBin(r, st) {
  // A re-export that changes a few regions (pages of a database, chunks of an image).
  const buf = Buffer.from(st.buf);
  for (let k = r.int(2, 8); k > 0; k--) {
    const len = Math.min(buf.length - 64, r.int(512, 8192));
    const at = r.int(64, buf.length - len);
    r.bytes(len).copy(buf, at);
  }
  return { kind: 'bin', buf };
}

// ---------------------------------------------------------------- fast-import plumbing
function quotePath(p) {
  if (!/[\s"\\]|[^\x20-\x7e]/.test(p)) return p;
  return `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

class Sink {
  constructor(child) {
    this.child = child;
    this.parts = [];
    this.n = 0;
    this.bytes = 0;
    this.failed = null;
    child.stdin.on('error', (e) => { this.failed = e; });
  }
  push(x) {
    const b = typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
    this.parts.push(b);
    this.n += b.length;
  }
  async maybeFlush() { if (this.n >= 4 << 20) await this.flush(); }
  async flush() {
    if (this.failed) throw this.failed;
    if (!this.n) return;
    const buf = Buffer.concat(this.parts, this.n);
    this.bytes += this.n;
    this.parts = [];
    this.n = 0;
    if (!this.child.stdin.write(buf)) {
      await new Promise((resolve, reject) => {
        const onDrain = () => { this.child.removeListener('close', onClose); resolve(); };
        const onClose = (code) => { this.child.stdin.removeListener('drain', onDrain); reject(new Error(`git fast-import exited early (${code})`)); };
        this.child.stdin.once('drain', onDrain);
        this.child.once('close', onClose);
      });
    }
  }
}

class Tx {
  constructor(b, view, ref, parents) {
    this.mark = ++b.marks;
    this.view = view;
    this.ref = ref;
    this.parents = parents;
    this.renames = [];
    this.touched = new Set();
    this.reserved = new Set();
    this.message = null;
    this.priority = 0; // 0 random, 1 scenario, 2 carries a planted key (never overwritten)
    this.author = null;
  }
  set(p, st) { this.view.files.set(p, st); this.touched.add(p); this.reserved.add(p); }
  del(p) { this.view.files.delete(p); this.touched.add(p); this.reserved.add(p); }
  rename(a, b) {
    if (this.touched.has(a)) throw new Error(`rename of a path already changed in this commit: ${a}`);
    this.view.files.set(b, this.view.files.get(a));
    this.view.files.delete(a);
    this.renames.push([a, b]);
    this.reserved.add(a); this.reserved.add(b);
  }
  setMessage(m, priority = 0) {
    if (priority === 2 && this.priority === 2) throw new Error('two commit-message keys planned for one commit');
    if (priority < this.priority || (priority === this.priority && priority > 0 && this.message)) return;
    this.message = m;
    this.priority = priority;
  }
}

// ---------------------------------------------------------------- the history
class HistoryBuilder {
  constructor({ commits, scale, seed, fileKb, sink }) {
    this.N = commits;
    this.fileBytes = Math.round(fileKb * 1000);
    this.scale = scale;
    this.sink = sink;
    this.r = new Rng(`spreeflo-history:${seed}`);
    this.rk = this.r.fork('keys');
    this.rm = this.r.fork('messages');
    this.rb = this.r.fork('binary');
    this.marks = 0;
    this.clock = START_TIME;
    this.avgGap = Math.max(60, Math.floor(SPAN_SECONDS / (commits * 1.1)));
    this.people = Array.from({ length: 28 }, (_, i) => {
      const first = V.FIRST[(i * 7) % V.FIRST.length], last = V.LAST[(i * 5 + 3) % V.LAST.length];
      return { name: `${first} ${last}`, email: `${first}.${last}@acme.io`.toLowerCase(), tz: ['+0000', '+0100', '+0200', '-0500', '-0800', '+0530', '+0900'][i % 7] };
    });
    this.main = { files: new Map(), tip: null };
    this.pool = []; this.poolPos = new Map(); this.dirs = new Map(); this.hot = [];
    this.locked = new Set(); // paths a live branch is working on: main leaves them alone
    this.pinned = new Set(); // paths a scenario still needs: no random rename/delete, no branch
    this.everUsed = new Set();
    this.pre = new Map(); // main index -> [fn(i)] run before main's commit (branch commits etc.)
    this.plan = new Map(); // main index -> [fn(tx, i)] part of main's commit
    this.merges = new Map(); // main index -> fn(tx)
    this.expected = [];
    this.decoys = [];
    this.tags = [];
    this.deleteRefs = [];
    this.keyCount = 0;
    this.stats = { mergeCommits: 0, branchCommits: 0, renames: 0, deletes: 0, adds: 0 };
    this.targetFiles = Math.max(60, Math.round(BASE_FILES * scale));
    this.initialFiles = Math.max(30, Math.round(this.targetFiles * 0.2));
  }

  // ---- helpers
  idx(f) { return Math.max(1, Math.min(this.N - 2, Math.floor(f * this.N))); }
  at(i, fn) { (this.plan.get(i) ?? this.plan.set(i, []).get(i)).push(fn); }
  before(i, fn) { (this.pre.get(i) ?? this.pre.set(i, []).get(i)).push(fn); }
  tick() { this.clock += this.r.int(30, 2 * this.avgGap); return this.clock; }
  person(r = this.rm) { return r.pick(this.people); }
  newKey() {
    const kind = this.keyCount++ % 2 === 0 ? 'v2' : 'v1';
    const token = kind === 'v2' ? makeV2(this.rk) : makeV1(this.rk);
    if (kind === 'v2' ? !isValidV2(token) : !isValidV1(token)) throw new Error('key generator produced an invalid key');
    return { token, kind };
  }
  expect(scenario, key, tx, where) {
    this.expected.push({
      scenario, keyKind: key.kind, source: where.path == null ? 'commit-message' : 'history',
      mark: tx.mark, ref: tx.ref, path: where.path ?? null, line: where.line,
      keySha256: sha256(key.token), last4: key.token.slice(-4), token: key.token,
    });
  }
  uniquePath(r, type, fixed) {
    let p = fixed ?? pathFor(r, type);
    for (let i = 2; this.everUsed.has(p); i++) {
      const ext = path.extname(p);
      p = ext && !path.basename(p).startsWith('.') ? `${p.slice(0, -ext.length)}-${i}${ext}` : `${p}-${i}`;
    }
    this.everUsed.add(p);
    return p;
  }
  poolAdd(p) {
    if (this.poolPos.has(p)) return;
    this.poolPos.set(p, this.pool.length); this.pool.push(p);
    const d = path.posix.dirname(p);
    (this.dirs.get(d) ?? this.dirs.set(d, new Set()).get(d)).add(p);
  }
  poolRemove(p) {
    const i = this.poolPos.get(p);
    if (i === undefined) return;
    const last = this.pool.pop();
    if (last !== p) { this.pool[i] = last; this.poolPos.set(last, i); }
    this.poolPos.delete(p);
    const d = path.posix.dirname(p);
    const s = this.dirs.get(d);
    if (s) { s.delete(p); if (!s.size) this.dirs.delete(d); }
  }
  /** A main-line text file random work may edit. */
  pickEditable(tx, r = this.r) {
    for (let t = 0; t < 25; t++) {
      const p = this.hot.length && r.chance(0.55) ? r.pick(this.hot) : this.pool[r.int(0, this.pool.length - 1)];
      if (p && this.poolPos.has(p) && !this.locked.has(p) && !tx.reserved.has(p) && this.main.files.has(p)) return p;
    }
    return null;
  }
  /** A file a scenario can own for a while (not busy elsewhere, not tiny). */
  pickFree(tx, { types = null, r = this.r, minLines = 12 } = {}) {
    for (let t = 0; t < 400; t++) {
      const p = this.pool[r.int(0, this.pool.length - 1)];
      if (this.locked.has(p) || this.pinned.has(p) || tx?.reserved.has(p)) continue;
      const st = this.main.files.get(p);
      if (!st || st.kind !== 'text' || st.crlf || (types && !types.includes(st.type)) || st.lines.length < minLines) continue;
      if (st.lines.some((l) => KEYISH.test(l))) continue;
      return p;
    }
    throw new Error('no free file for a scenario');
  }
  addFile(tx, type, { size, fixedPath, crlf = false, r = this.r, pool = true } = {}) {
    const p = this.uniquePath(r, type, fixedPath);
    const st = textState(type, buildText(r, type, size ?? r.lognormal(this.fileBytes, 0.8, 300, this.fileBytes * 18)), { crlf });
    tx.set(p, st);
    if (pool && tx.view === this.main) this.poolAdd(p);
    this.stats.adds++;
    return p;
  }
  message(paths, r = this.rm) {
    const p = paths.length ? r.pick(paths) : '';
    const scope = (V.PROJECTS.find((x) => p.includes(x)) ?? path.posix.basename(path.posix.dirname(p))) || 'repo';
    const words = sentence(r, 3, 9).slice(0, -1);
    const lower = words[0].toLowerCase() + words.slice(1);
    let subject;
    const k = r.int(0, 9);
    if (k < 7) subject = `${r.pick(['feat', 'fix', 'fix', 'chore', 'refactor', 'docs', 'test', 'perf', 'ci', 'build'])}(${scope}): ${lower}`;
    else if (k === 7) subject = `${cap(r.pick(V.VERBS))} ${noun(r)} ${r.pick(['handling', 'cache', 'retries', 'validation', 'export'])} in ${scope}`;
    else if (k === 8) subject = `Bump ${scope} to ${r.int(1, 4)}.${r.int(0, 30)}.${r.int(0, 20)}`;
    else subject = `${cap(lower)}`;
    if (!r.chance(0.35)) return subject + '\n';
    const body = paragraph(r).replace(/(.{1,72})(?:\s+|$)/g, '$1\n').trimEnd();
    return `${subject}\n\n${body}\n${r.chance(0.2) ? `\nRefs: #${r.int(100, 9000)}\n` : ''}`;
  }
  tagMessage(name) { return `Release ${name}\n\n${paragraph(this.rm)}\n`; }

  // ---- emission
  emit(tx) {
    const s = this.sink;
    const a = tx.author ?? this.person();
    const t = this.tick();
    const msg = Buffer.from(tx.message ?? 'Update\n', 'utf8');
    s.push(`commit ${tx.ref}\nmark :${tx.mark}\nauthor ${a.name} <${a.email}> ${t} ${a.tz}\ncommitter ${a.name} <${a.email}> ${t} ${a.tz}\ndata ${msg.length}\n`);
    s.push(msg);
    s.push('\n');
    if (tx.parents[0] != null) s.push(`from :${tx.parents[0]}\n`);
    for (const p of tx.parents.slice(1)) s.push(`merge :${p}\n`);
    for (const [x, y] of tx.renames) s.push(`R ${quotePath(x)} ${quotePath(y)}\n`);
    for (const p of tx.touched) {
      const st = tx.view.files.get(p);
      if (!st) { s.push(`D ${quotePath(p)}\n`); continue; }
      const buf = serialize(st);
      s.push(`M ${st.mode ?? '100644'} inline ${quotePath(p)}\ndata ${buf.length}\n`);
      s.push(buf);
      s.push('\n');
    }
    s.push('\n');
    tx.time = t;
    return tx.mark;
  }
  emitTag(name, mark, annotated) {
    if (annotated) {
      const a = this.person();
      const msg = Buffer.from(this.tagMessage(name));
      this.sink.push(`tag ${name}\nfrom :${mark}\ntagger ${a.name} <${a.email}> ${this.clock + 60} ${a.tz}\ndata ${msg.length}\n`);
      this.sink.push(msg);
      this.sink.push('\n');
    } else this.sink.push(`reset refs/tags/${name}\nfrom :${mark}\n\n`);
    this.tags.push({ name, annotated });
  }

  // ---- random main-line work
  randomActivity(tx, i) {
    const r = this.r;
    const changed = [];
    if (i % 50 === 0) this.refreshHot();
    const nEdit = r.weighted([[40, 1], [25, 2], [15, 3], [12, 4], [8, 5]]);
    let first = null;
    for (let k = 0; k < nEdit; k++) {
      let p = null;
      if (first && r.chance(0.6)) {
        const sibs = [...(this.dirs.get(path.posix.dirname(first)) ?? [])];
        const c = sibs.length ? r.pick(sibs) : null;
        if (c && !this.locked.has(c) && !tx.reserved.has(c)) p = c;
      }
      p ??= this.pickEditable(tx);
      if (!p) continue;
      first ??= p;
      tx.set(p, editText(r, this.main.files.get(p)));
      changed.push(p);
    }
    const pAdd = Math.max(0.01, (this.targetFiles - this.initialFiles) / this.N / 3 + 0.004);
    if (r.chance(pAdd)) {
      const n = r.int(1, 5);
      const anchor = this.pool[r.int(0, this.pool.length - 1)];
      const ast = this.main.files.get(anchor);
      for (let k = 0; k < n; k++) {
        if (ast && CODE_EXT[ast.type] && r.chance(0.6)) {
          const dir = path.posix.dirname(anchor);
          const base = ast.type === 'py' || ast.type === 'go' ? `${r.pick(V.VERBS)}_${noun(r)}` : ast.type === 'java' ? cap(camel(r)) : `${r.pick(V.VERBS)}-${noun(r)}`;
          changed.push(this.addFile(tx, ast.type, { fixedPath: `${dir}/${base}${CODE_EXT[ast.type]}` }));
        } else changed.push(this.addFile(tx, r.weighted(TYPE_WEIGHTS)));
      }
    }
    if (r.chance(0.012)) {
      const p = this.pickEditable(tx);
      if (p && !this.pinned.has(p)) { tx.del(p); this.poolRemove(p); changed.push(p); this.stats.deletes++; }
    }
    if (r.chance(0.006)) {
      const p = this.pickEditable(tx);
      const st = p && this.main.files.get(p);
      if (p && !this.pinned.has(p) && st.lines.length >= 20) {
        const q = this.renameTarget(p, r);
        tx.rename(p, q); this.poolRemove(p); this.poolAdd(q);
        if (r.chance(0.3)) tx.set(q, editText(r, st, 1));
        changed.push(q); this.stats.renames++;
      }
    }
    if (!tx.message) tx.setMessage(this.message(changed));
  }
  renameTarget(p, r = this.r) {
    const dir = path.posix.dirname(p), base = path.posix.basename(p);
    const ext = base.startsWith('.') ? '' : path.posix.extname(base);
    const dot = base.indexOf('.', 1);
    const stem = dot > 0 ? base.slice(0, dot) : base;
    const fullExt = dot > 0 ? base.slice(dot) : ext;
    let q;
    if (r.chance(0.5)) q = `${dir}/${stem.includes('_') ? `${r.pick(V.VERBS)}_${noun(r)}` : stem.includes('-') ? `${r.pick(V.VERBS)}-${noun(r)}` : cap(camel(r))}${fullExt}`;
    else q = `${path.posix.dirname(dir)}/${r.pick(SUBDIRS)}/${base}`;
    return this.uniquePath(r, null, q);
  }
  refreshHot() {
    const r = this.r;
    while (this.hot.length < 40 && this.pool.length) this.hot.push(this.pool[r.int(0, this.pool.length - 1)]);
    for (let k = 0; k < 3; k++) this.hot[r.int(0, this.hot.length - 1)] = this.pool[r.int(0, this.pool.length - 1)];
  }

  // ---- the run
  async run() {
    this.schedule();
    const N = this.N;
    for (let i = 0; i < N; i++) {
      for (const fn of this.pre.get(i) ?? []) await fn(i);
      const tx = new Tx(this, this.main, 'refs/heads/main', this.main.tip == null ? [] : [this.main.tip]);
      if (i === 0) this.initialImport(tx);
      for (const fn of this.plan.get(i) ?? []) fn(tx, i);
      const merge = this.merges.get(i);
      if (merge) merge(tx);
      else if (i > 0) this.randomActivity(tx, i);
      this.emit(tx);
      this.main.tip = tx.mark;
      const every = Math.max(10, Math.floor(N / 12));
      if (i > 0 && i % every === 0) {
        const n = i / every;
        this.emitTag(`v${1 + Math.floor(n / 4)}.${n % 4}.0`, tx.mark, n % 2 === 0);
      }
      await this.sink.maybeFlush();
    }
  }

  initialImport(tx) {
    const r = this.r.fork('initial');
    for (let k = 0; k < this.initialFiles; k++) this.addFile(tx, r.weighted(TYPE_WEIGHTS), { r });
    tx.setMessage('Initial import of the platform monorepo\n\nMoved from the old per-service repositories.\n', 1);
    // A key committed with the very first (root) commit.
    const key = this.newKey();
    const p = this.addFile(tx, 'yaml', { fixedPath: 'config/crm-bridge/spreeflo.yaml', size: 900, r });
    const { st, line } = plantText(r, this.main.files.get(p), key.token);
    tx.set(p, st);
    this.expect('root-commit', key, tx, { path: p, line });
  }

  // ---- scenarios
  schedule() {
    const r = this.r.fork('schedule');
    const N = this.N;
    const idx = (f) => this.idx(f);
    const later = (i, n) => Math.min(N - 2, i + Math.max(1, Math.round(n)));
    const s = Math.min(1, N / BASE_COMMITS); // gaps shrink with shorter histories

    // Key added to an existing file and kept to HEAD.
    for (const f of [0.12, 0.55]) {
      this.at(idx(f), (tx) => {
        const key = this.newKey();
        const p = this.pickFree(tx);
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.expect('added-kept', key, tx, { path: p, line });
      });
    }
    // Key added, then removed (replaced by an env lookup, or the line deleted) some commits later.
    [[0.05, 1], [0.2, 7], [0.33, 60], [0.6, 400], [0.8, 2500]].forEach(([f, gap], n) => {
      const i = idx(f);
      let p, key;
      this.at(i, (tx) => {
        key = this.newKey();
        p = this.pickFree(tx);
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect('added-then-removed', key, tx, { path: p, line });
      });
      this.at(later(i, Math.max(1, gap * s)), (tx) => {
        const st = this.main.files.get(p);
        const lines = st.lines.slice();
        const j = lines.findIndex((l) => l.includes(key.token));
        if (n % 2) lines.splice(j, 1);
        else lines[j] = lines[j].replace(key.token, '${SPREEFLO_API_KEY}');
        tx.set(p, { ...st, lines });
        this.pinned.delete(p);
        tx.setMessage(`${n % 2 ? 'Remove' : 'Read'} the Spreeflo API key ${n % 2 ? 'from' : 'from the environment in'} ${path.posix.basename(p)}\n`, 1);
      });
    });
    // Key in a brand-new file.
    this.at(idx(0.15), (tx) => {
      const key = this.newKey();
      const p = this.addFile(tx, 'env', { fixedPath: 'services/zapier-sync/.env.production', size: 500 });
      const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
      tx.set(p, st);
      this.expect('new-file', key, tx, { path: p, line });
      tx.setMessage('chore(zapier-sync): add production env file\n', 1);
    });
    this.at(idx(0.7), (tx) => {
      const key = this.newKey();
      const p = this.addFile(tx, 'py', { fixedPath: 'services/crm-bridge/crm_bridge/jobs/nightly_spreeflo_export.py', size: 2500 });
      const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
      tx.set(p, st);
      this.expect('new-file', key, tx, { path: p, line });
    });
    // Key in a file that is later deleted: a throw-away debug script, and an existing file.
    {
      const i = idx(0.25);
      let p;
      this.at(i, (tx) => {
        const key = this.newKey();
        p = this.addFile(tx, 'js', { fixedPath: 'scripts/ops-scripts/tmp-debug-ping.js', size: 700, pool: false });
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.expect('file-later-deleted', key, tx, { path: p, line });
        tx.setMessage('wip: debug spreeflo ping from ops box\n', 1);
      });
      this.at(later(i, 3), (tx) => { tx.del(p); tx.setMessage('Remove debug script\n', 1); });
    }
    {
      const i = idx(0.42);
      let p;
      this.at(i, (tx) => {
        const key = this.newKey();
        p = this.pickFree(tx);
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect('file-later-deleted', key, tx, { path: p, line });
      });
      this.at(later(i, 500 * s), (tx) => { tx.del(p); this.poolRemove(p); this.pinned.delete(p); tx.setMessage(`chore: delete unused ${path.posix.basename(p)}\n`, 1); });
    }
    // Key in a file that is later renamed (pure rename; rename with a small edit): only the original path introduced it.
    [[0.3, 100, false], [0.5, 40, true]].forEach(([f, gap, withEdit]) => {
      const i = idx(f);
      let p;
      this.at(i, (tx) => {
        const key = this.newKey();
        p = this.pickFree(tx, { minLines: 25 });
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect(withEdit ? 'file-renamed-and-edited-later' : 'file-renamed-later', key, tx, { path: p, line });
      });
      this.at(later(i, gap * s), (tx) => {
        if (this.locked.has(p)) throw new Error('pinned file got locked');
        const q = this.renameTarget(p, this.r);
        const st = this.main.files.get(p);
        tx.rename(p, q); this.poolRemove(p); this.poolAdd(q); this.pinned.delete(p);
        if (withEdit) tx.set(q, editText(this.r, st, 2));
        tx.setMessage(`refactor: move ${path.posix.basename(p)} to ${path.posix.basename(q)}\n`, 1);
      });
    });
    // Key in a file whose whole directory is renamed later.
    {
      const i = idx(0.62);
      let p;
      const tryRename = (j) => (tx) => {
        const dir = path.posix.dirname(p);
        const members = [...this.main.files.keys()].filter((x) => x.startsWith(dir + '/'));
        if (members.some((x) => x !== p && (this.locked.has(x) || this.pinned.has(x) || tx.reserved.has(x)))) {
          if (j < this.N - 2) this.at(j + 1, tryRename(j + 1));
          return;
        }
        const nd = this.uniquePath(this.r, null, `${path.posix.dirname(dir)}/${path.posix.basename(dir)}-legacy`);
        for (const x of members) {
          const q = nd + x.slice(dir.length);
          this.main.files.set(q, this.main.files.get(x)); this.main.files.delete(x);
          if (this.poolPos.has(x)) { this.poolRemove(x); this.poolAdd(q); }
          this.everUsed.add(q); tx.reserved.add(x); tx.reserved.add(q);
        }
        tx.renames.push([dir, nd]);
        this.pinned.delete(p);
        tx.setMessage(`refactor: rename ${dir}/ to ${path.posix.basename(nd)}/\n`, 1);
      };
      this.at(i, (tx) => {
        const key = this.newKey();
        for (let t = 0; t < 50; t++) {
          p = this.pickFree(tx);
          const n = [...(this.dirs.get(path.posix.dirname(p)) ?? [])].length;
          if (n >= 2 && n <= 25 && path.posix.dirname(p).split('/').length >= 3) break;
        }
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect('directory-renamed-later', key, tx, { path: p, line });
      });
      const j = later(i, 200 * s);
      this.at(j, tryRename(j));
    }
    // A file with a key copied to a new path: each path introduces it.
    {
      const i = idx(0.36);
      let p, key;
      this.at(i, (tx) => {
        key = this.newKey();
        p = this.addFile(tx, 'env', { fixedPath: 'deploy/mailer/.env.staging', size: 600 });
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect('file-copied', key, tx, { path: p, line });
      });
      this.at(later(i, 30 * s), (tx) => {
        const st = this.main.files.get(p);
        const q = this.uniquePath(this.r, null, 'deploy/mailer/.env.qa');
        tx.set(q, st); this.poolAdd(q); this.pinned.delete(p);
        this.expect('file-copied', key, tx, { path: q, line: lineOf(st, key.token) });
        tx.setMessage('deploy(mailer): add QA environment (copy of staging)\n', 1);
      });
    }
    // Key removed and put back by a revert (the same blob introduced twice).
    {
      const i = idx(0.45);
      let p, key, before;
      this.at(i, (tx) => {
        key = this.newKey();
        p = this.pickFree(tx, { types: ['ts', 'js', 'py', 'go'] });
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st);
        this.pinned.add(p);
        this.expect('removed-then-reverted', key, tx, { path: p, line });
      });
      const j = later(i, 20 * s);
      this.at(j, (tx) => {
        before = this.main.files.get(p);
        const lines = before.lines.filter((l) => !l.includes(key.token));
        tx.set(p, { ...before, lines });
        tx.setMessage('Remove hard-coded Spreeflo key\n', 1);
      });
      this.at(j + 1, (tx) => {
        tx.set(p, before);
        this.pinned.delete(p);
        this.expect('removed-then-reverted', key, tx, { path: p, line: lineOf(before, key.token) });
        tx.setMessage('Revert "Remove hard-coded Spreeflo key"\n\nThis reverts the previous commit: the worker has no access to the vault yet.\n', 1);
      });
    }
    // The same key in two files of one commit.
    this.at(idx(0.52), (tx) => {
      const key = this.newKey();
      const p1 = this.addFile(tx, 'env', { fixedPath: 'services/webhooks/.env', size: 400 });
      const a = plantText(this.r, this.main.files.get(p1), key.token);
      tx.set(p1, a.st);
      this.expect('same-key-two-files', key, tx, { path: p1, line: a.line });
      const p2 = this.addFile(tx, 'yaml', { fixedPath: 'services/webhooks/docker-compose.yml', size: 1200 });
      const b = plantText(this.r, this.main.files.get(p2), key.token);
      tx.set(p2, b.st);
      this.expect('same-key-two-files', key, tx, { path: p2, line: b.line });
      tx.setMessage('feat(webhooks): local docker setup\n', 1);
    });
    // CRLF file (created early, key added later).
    {
      let p;
      this.at(idx(0.1), (tx) => { p = this.addFile(tx, 'ini', { fixedPath: 'tools/windows/contact-sync.ini', size: 2500, crlf: true }); this.pinned.add(p); });
      this.at(idx(0.4), (tx) => {
        const key = this.newKey();
        const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
        tx.set(p, st); this.pinned.delete(p);
        this.expect('crlf-file', key, tx, { path: p, line });
      });
    }
    // Path with a space and non-ASCII characters.
    this.at(idx(0.58), (tx) => {
      const key = this.newKey();
      const p = this.addFile(tx, 'md', { fixedPath: 'docs/guides/intégration spreeflo.md', size: 1800 });
      const { st, line } = plantText(this.r, this.main.files.get(p), key.token);
      tx.set(p, st);
      this.expect('non-ascii-path-with-space', key, tx, { path: p, line });
    });
    // Keys in commit messages (subject and body).
    this.at(idx(0.27), (tx) => {
      const key = this.newKey();
      tx.setMessage(`fix(zapier-sync): fall back to key ${key.token} when vault is down\n`, 2);
      this.expect('commit-message-subject', key, tx, { path: null, line: 1 });
    });
    this.at(idx(0.69), (tx) => {
      const key = this.newKey();
      const msg = `feat(crm-bridge): nightly contact export\n\nRuns at 02:00 UTC. Tested against staging with\nSPREEFLO_API_KEY=${key.token} npm run export\n\nRefs: #${this.r.int(100, 9000)}\n`;
      tx.setMessage(msg, 2);
      this.expect('commit-message-body', key, tx, { path: null, line: msg.split('\n').findIndex((l) => l.includes(key.token)) + 1 });
    });
    // Decoys: key-shaped strings that are not keys, in files and in one commit message.
    for (let k = 0; k < 12; k++) {
      const kind = DECOY_KINDS[k % DECOY_KINDS.length];
      this.at(idx(0.04 + k * 0.075), (tx) => {
        const d = makeDecoy(this.rk, kind);
        const p = this.pickFree(tx);
        const { st } = plantText(this.r, this.main.files.get(p), d.text);
        tx.set(p, st);
        this.decoys.push({ kind, rgShaped: d.rgShaped });
      });
    }
    this.at(idx(0.57), (tx) => {
      const d = makeDecoy(this.rk, 'v2-bad-checksum');
      tx.setMessage(`docs: example key format is ${d.text} (not a real key)\n`, 1.5);
      this.decoys.push({ kind: 'v2-bad-checksum', rgShaped: true, inMessage: true });
    });

    this.scheduleLargeAndBinary(r);
    this.scheduleBranches(r);
  }

  scheduleLargeAndBinary(r) {
    const s = this.scale, idx = (f) => this.idx(f);
    // Large CSV export, appended to now and then; one append carries a key.
    {
      const p = 'data/exports/contacts-full.csv';
      const versions = 12;
      const rc = this.r.fork('csv');
      for (let v = 0; v < versions; v++) {
        this.at(idx(0.08 + v * 0.075), (tx) => {
          let st = this.main.files.get(p);
          if (!st) st = textState('csv', buildText(rc, 'csv', Math.round(2_400_000 * s)));
          const lines = st.lines.slice();
          for (let k = rc.int(200, 800); k > 0; k--) lines.push(TYPES.csv.block(rc).replace(/\n$/, ''));
          for (let k = rc.int(5, 30); k > 0; k--) { const j = rc.int(1, lines.length - 1); if (!KEYISH.test(lines[j])) lines[j] = TYPES.csv.block(rc).replace(/\n$/, ''); }
          st = { ...st, lines };
          if (v === 5) {
            const key = this.newKey();
            const row = TYPES.csv.secret(rc, key.token).replace(/\n$/, '');
            const pl = plantText(rc, st, key.token, rc.int(Math.floor(lines.length * 0.6), lines.length), [row]);
            st = pl.st;
            this.expect('large-csv', key, tx, { path: p, line: pl.line });
          }
          tx.set(p, st);
          tx.setMessage(`data: refresh full contact export (${v === 0 ? 'initial' : `batch ${v}`})\n`, 1);
        });
      }
    }
    // Minified vendor bundle (one very long line), rebuilt a few times; a rebuild inlines a key.
    {
      const p = 'apps/web-app/public/assets/vendor.min.js';
      const rm = this.r.fork('bundle');
      for (let v = 0; v < 8; v++) {
        this.at(idx(0.03 + v * 0.11), (tx) => {
          let st = this.main.files.get(p);
          if (!st) {
            const chunks = [];
            for (let n = 0, goal = Math.round(1_200_000 * s); n < goal;) { const c = minifiedChunk(rm); chunks.push(c); n += c.length; }
            st = { kind: 'min', head: '', chunks };
          }
          const chunks = st.chunks.slice();
          for (let k = rm.int(20, 120); k > 0; k--) { const j = rm.int(0, chunks.length - 1); if (!KEYISH.test(chunks[j])) chunks[j] = minifiedChunk(rm); }
          st = { kind: 'min', head: `/*! acme web-app vendor bundle 3.${v}.${rm.int(0, 9)} | (c) Acme | MIT */`, chunks };
          if (v === 4) {
            const key = this.newKey();
            chunks.splice(rm.int(Math.floor(chunks.length / 3), chunks.length), 0, `window.__SPREEFLO__={apiKey:"${key.token}",env:"production"};`);
            this.expect('minified-bundle', key, tx, { path: p, line: 2 });
          }
          tx.set(p, st);
          tx.setMessage(`build(web-app): rebuild vendor bundle 3.${v}\n`, 1);
        });
      }
    }
    // Binary files (never keys), some re-committed with small changes.
    const bins = [
      ['apps/web-app/public/img/hero.png', '89504e470d0a1a0a0000000d49484452', 350_000, [0.02, 0.35, 0.7]],
      ['apps/web-app/public/fonts/inter-var.woff2', '774f4632', 150_000, [0.05]],
      ['data/geo/cities.sqlite', '53514c69746520666f726d6174203300', 1_200_000, [0.1, 0.3, 0.5, 0.7, 0.9]],
      ['docs/assets/architecture.pdf', '255044462d312e370a', 500_000, [0.2, 0.6]],
      ['tools/bin/sf-migrate-linux-amd64', '7f454c46020101000000000000000000', 2_000_000, [0.25, 0.8]],
    ];
    for (const [p, magic, size, when] of bins) {
      when.forEach((f, v) => this.at(idx(f), (tx) => {
        const cur = this.main.files.get(p);
        const st = cur ? editBin(this.rb, cur) : binState(this.rb, Buffer.from(magic, 'hex'), Math.round(size * Math.max(0.1, s)));
        if (p.includes('/bin/')) st.mode = '100755';
        tx.set(p, st);
        if (v > 0 || !cur) tx.setMessage(`${v ? 'Update' : 'Add'} ${path.posix.basename(p)}\n`);
      }));
    }
  }

  scheduleBranches() {
    const idx = (f) => this.idx(f);
    const defs = [
      { name: 'feature/zapier-sync-v2', kind: 'merge', start: 0.18, end: 0.195, n: 12, plantAt: 3, mergeMessageKey: true },
      { name: 'feature/crm-export-batching', kind: 'merge', start: 0.47, end: 0.49, n: 8, plantAt: 2, removeAt: 5 },
      { name: 'feature/segment-builder', kind: 'merge', start: 0.72, end: 0.745, n: 10, evilMerge: true },
      { name: 'feature/bounce-dashboard', kind: 'merge', start: 0.85, end: 0.86, n: 6 },
      { name: 'feature/old-importer', kind: 'unmerged', start: 0.09, end: 0.11, n: 9 },
      { name: 'experiment/webhook-retries', kind: 'unmerged', start: 0.3, end: 0.33, n: 15, plantAt: 4, removeAt: 8, messageKeyAt: 9 },
      { name: 'spike/audience-api', kind: 'unmerged', start: 0.64, end: 0.65, n: 6, plantAt: 1, cherryPickAt: 0.67 },
    ];
    let pr = 200;
    for (const d of defs) this.scheduleBranch(d, idx(d.start), Math.max(idx(d.start) + 1, idx(d.end)), ++pr * 3);
    this.scheduleFastForward({ name: 'feature/template-cache', n: 5, plantAt: 2 }, idx(0.4) + 1);
    this.scheduleOrphan([0.5, 0.6, 0.75, 0.9].map(idx));
    this.scheduleHotfix(idx(0.66));
  }

  branchTx(br) {
    const tx = new Tx(this, br, br.ref, br.tip == null ? [] : [br.tip]);
    tx.author = br.author;
    return tx;
  }

  scheduleBranch(d, s, e, prNumber) {
    const rb = this.r.fork(d.name);
    const br = { ref: `refs/heads/${d.name}`, files: null, tip: null, touch: [], added: [], author: this.person(rb) };
    const when = Array.from({ length: d.n }, () => rb.int(s, e - 1)).sort((a, b) => a - b);
    let plant = null;
    this.before(s, () => {
      br.files = new Map(this.main.files);
      br.tip = this.main.tip;
      const tx0 = { reserved: new Set() };
      for (let k = rb.int(3, 6); k > 0; k--) {
        const p = this.pickFree(tx0, { r: rb });
        tx0.reserved.add(p);
        br.touch.push(p);
        this.locked.add(p);
      }
      if (d.cherryPickAt) this.pinned.add(br.touch[0]);
    });
    when.forEach((i, k0) => {
      const k = k0 + 1;
      this.before(i, () => {
        const tx = this.branchTx(br);
        if (k === 1) {
          for (let m = rb.int(0, 2); m > 0; m--) {
            const type = rb.pick(['ts', 'py', 'md', 'yaml']);
            const p = this.uniquePath(rb, type);
            tx.set(p, textState(type, buildText(rb, type, rb.lognormal(2000, 0.6, 400, 12000))));
            br.added.push(p);
          }
        }
        if (k === d.plantAt) {
          const key = this.newKey();
          const p = br.touch[0];
          const pl = plantText(rb, br.files.get(p), key.token);
          tx.set(p, pl.st);
          plant = { key, p, pos: pl.pos, snippet: pl.snippet };
          this.expect(d.kind === 'merge' ? (d.removeAt ? 'branch-merged-key-removed-before-merge' : 'branch-merged') : d.cherryPickAt ? 'branch-unmerged-then-cherry-picked' : 'branch-unmerged', key, tx, { path: p, line: pl.line });
        }
        if (k === d.removeAt && plant) {
          const st = br.files.get(plant.p);
          tx.set(plant.p, { ...st, lines: st.lines.filter((l) => !l.includes(plant.key.token)) });
          tx.setMessage('Drop the inline key, read it from config\n', 1);
        }
        if (k === d.messageKeyAt) {
          const key = this.newKey();
          const msg = `wip: retry webhooks with exponential backoff\n\nkey for local testing:\n${key.token}\n`;
          tx.setMessage(msg, 2);
          this.expect('commit-message-unmerged-branch', key, tx, { path: null, line: msg.split('\n').findIndex((l) => l.includes(key.token)) + 1 });
        }
        for (let m = rb.int(1, Math.min(3, br.touch.length)); m > 0; m--) {
          const p = rb.pick(br.touch);
          if (tx.reserved.has(p)) continue;
          tx.set(p, editText(rb, br.files.get(p)));
        }
        if (br.added.length && rb.chance(0.4)) { const p = rb.pick(br.added); if (!tx.reserved.has(p)) tx.set(p, editText(rb, br.files.get(p))); }
        tx.setMessage(this.message([...tx.touched], rb));
        this.emit(tx);
        br.tip = tx.mark;
        this.stats.branchCommits++;
      });
    });
    if (d.kind === 'merge') {
      this.merges.set(e, (tx) => {
        tx.parents.push(br.tip);
        tx.author = this.person(rb);
        for (const p of [...br.touch, ...br.added]) {
          if (br.files.has(p)) tx.set(p, br.files.get(p));
          else if (this.main.files.has(p)) tx.del(p);
        }
        for (const p of br.touch) this.locked.delete(p);
        for (const p of br.added) { this.poolAdd(p); this.everUsed.add(p); }
        let msg = `Merge pull request #${prNumber} from acme/${d.name}\n\n${sentence(rb, 4, 9)}\n`;
        if (d.mergeMessageKey) {
          const key = this.newKey();
          msg += `\nTo test: set SPREEFLO_KEY=${key.token} in the Zapier UI.\n`;
          this.expect('commit-message-merge-commit', key, tx, { path: null, line: msg.split('\n').findIndex((l) => l.includes(key.token)) + 1 });
        }
        if (d.evilMerge) {
          // Conflict resolution that adds a key neither parent had.
          const key = this.newKey();
          const p = br.touch[1];
          const pl = plantText(rb, br.files.get(p), key.token);
          tx.set(p, pl.st);
          this.expect('evil-merge-resolution', key, tx, { path: p, line: pl.line });
        }
        tx.setMessage(msg, d.mergeMessageKey ? 2 : 1);
        this.stats.mergeCommits++;
      });
    } else {
      this.before(e, () => { for (const p of br.touch) if (p !== (d.cherryPickAt ? br.touch[0] : null)) this.locked.delete(p); });
      if (d.cherryPickAt) {
        this.at(Math.max(e + 1, this.idx(d.cherryPickAt)), (tx) => {
          this.locked.delete(br.touch[0]);
          const p = plant.p;
          const pl = plantText(rb, this.main.files.get(p), plant.key.token, plant.pos, plant.snippet);
          tx.set(p, pl.st);
          this.pinned.delete(p);
          this.expect('cherry-picked-to-main', plant.key, tx, { path: p, line: pl.line });
          tx.setMessage(`hotfix(${V.PROJECTS.find((x) => p.includes(x)) ?? 'audience'}): use the audience API key\n`, 1);
        });
      }
    }
  }

  /** A branch rebased on main and merged by fast-forward: its commits become main's history. */
  scheduleFastForward(d, i) {
    const rb = this.r.fork(d.name);
    this.before(i, () => {
      const br = { ref: `refs/heads/${d.name}`, files: new Map(this.main.files), tip: this.main.tip, author: this.person(rb) };
      const tx0 = { reserved: new Set() };
      const touch = [];
      for (let k = 0; k < 3; k++) { const p = this.pickFree(tx0, { r: rb }); tx0.reserved.add(p); touch.push(p); }
      for (let k = 1; k <= d.n; k++) {
        const tx = this.branchTx(br);
        if (k === d.plantAt) {
          const key = this.newKey();
          const pl = plantText(rb, br.files.get(touch[0]), key.token);
          tx.set(touch[0], pl.st);
          this.expect('branch-fast-forward-merged', key, tx, { path: touch[0], line: pl.line });
        }
        const p = rb.pick(touch.slice(1));
        tx.set(p, editText(rb, br.files.get(p)));
        tx.setMessage(this.message([...tx.touched], rb));
        this.emit(tx);
        br.tip = tx.mark;
        this.stats.branchCommits++;
      }
      this.main.files = br.files;
      this.main.tip = br.tip;
    });
  }

  /** gh-pages: an unrelated history (its own root commit) of a built docs site, never merged. */
  scheduleOrphan(when) {
    const rb = this.r.fork('gh-pages');
    const br = { ref: 'refs/heads/gh-pages', files: new Map(), tip: null, author: this.person(rb) };
    let appJs = null;
    when.forEach((i, k) => this.before(i, () => {
      const tx = this.branchTx(br);
      for (const page of ['index.html', 'getting-started.html', 'api/campaigns.html', 'api/contacts.html', 'changelog.html']) {
        const cur = br.files.get(page);
        tx.set(page, cur ? editText(rb, cur, 4) : textState('html', buildText(rb, 'html', rb.int(3000, 9000))));
      }
      if (appJs) tx.del(appJs);
      appJs = `assets/js/app.${rb.hex(8)}.js`;
      const chunks = [];
      for (let n = 0; n < 30000;) { const c = minifiedChunk(rb); chunks.push(c); n += c.length; }
      tx.set(appJs, { kind: 'min', head: '/*! docs-site */', chunks });
      if (k === 1) {
        const key = this.newKey();
        const p = 'assets/js/config.js';
        const st = textState('js', `// generated by docs-site build\n'use strict';\nwindow.DOCS_CONFIG = {\n  search: true,\n  version: '${k}.0',\n};\n`);
        const pl = plantText(rb, st, key.token, 3);
        tx.set(p, pl.st);
        this.expect('orphan-branch-gh-pages', key, tx, { path: p, line: pl.line });
      }
      tx.setMessage(`Deploy docs site (build ${rb.int(1000, 9999)})\n`, 1);
      this.emit(tx);
      br.tip = tx.mark;
      this.stats.branchCommits++;
    }));
  }

  /** A hotfix commit reachable only through a tag (its branch was deleted after tagging). */
  scheduleHotfix(i) {
    const rb = this.r.fork('hotfix');
    this.before(i, () => {
      const view = { files: new Map(this.main.files) };
      const tx = new Tx(this, view, 'refs/heads/hotfix/spreeflo-timeout', [this.main.tip]);
      tx.author = this.person(rb);
      const key = this.newKey();
      const p = this.pickFree({ reserved: new Set() }, { r: rb, types: ['yaml', 'json', 'env', 'ini'], minLines: 4 });
      const pl = plantText(rb, view.files.get(p), key.token);
      tx.set(p, pl.st);
      this.expect('tag-only-commit', key, tx, { path: p, line: pl.line });
      tx.setMessage('hotfix: raise Spreeflo timeout, pin production key\n', 1);
      this.emit(tx);
      this.emitTag('v2.3.1-hotfix1', tx.mark, 1);
      this.deleteRefs.push('refs/heads/hotfix/spreeflo-timeout');
      this.stats.branchCommits++;
    });
  }
}

// ---------------------------------------------------------------- driver
function git(cwd, args, opts = {}) {
  const r = spawnSync('git', args, { cwd, encoding: opts.encoding ?? 'utf8', maxBuffer: 1 << 30, input: opts.input });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function manifestFile(out) { return `${out.replace(/\/+$/, '')}.manifest.json`; }

export function readHistoryManifest(out) {
  try { return JSON.parse(fs.readFileSync(manifestFile(out), 'utf8')); } catch { return null; }
}

export function resolveParams({ commits, scale = 1, seed = '1', fileKb = BASE_FILE_KB }) {
  return { commits: Math.max(200, Math.round(commits ?? BASE_COMMITS * scale)), scale, seed: String(seed), fileKb, version: HISTORY_GEN_VERSION };
}

/** Returns the manifest, generating the repository unless one with the same parameters exists. */
export async function ensureHistoryRepo({ out, commits, scale = 1, seed = '1', fileKb, force = false, log = () => {} }) {
  const params = resolveParams({ commits, scale, seed, fileKb });
  const m = readHistoryManifest(out);
  if (!force && m && JSON.stringify(m.params) === JSON.stringify(params) && fs.existsSync(path.join(out, '.git'))) {
    const tip = spawnSync('git', ['rev-parse', '--verify', '-q', 'refs/heads/main'], { cwd: out, encoding: 'utf8' }).stdout.trim();
    if (tip === m.mainTip) { m.reused = true; return m; }
  }
  return generateHistoryRepo({ out, params, log });
}

export async function generateHistoryRepo({ out, params, log = () => {} }) {
  selfTest();
  const t0 = Date.now();
  fs.rmSync(manifestFile(out), { force: true });
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  git(out, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['gc.auto', '0'], ['core.autocrlf', 'false'], ['maintenance.auto', 'false']]) git(out, ['config', k, v]);
  const marksFile = path.join(out, '.git', 'bench-marks');
  log(`generating ${params.commits} commits (scale ${params.scale}, seed ${params.seed}) into ${out} ...`);

  const child = spawn('git', ['fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], { cwd: out, stdio: ['pipe', 'ignore', 'pipe'] });
  const errs = [];
  child.stderr.on('data', (d) => errs.push(d));
  const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const sink = new Sink(child);
  const b = new HistoryBuilder({ commits: params.commits, scale: params.scale, seed: params.seed, fileKb: params.fileKb, sink });
  try {
    await b.run();
    sink.push('done\n');
    await sink.flush();
  } catch (e) {
    child.stdin.destroy();
    await closed;
    throw new Error(`${e.message}\n${Buffer.concat(errs).toString()}`);
  }
  child.stdin.end();
  const code = await closed;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${Buffer.concat(errs).toString()}`);
  const tImport = Date.now();
  log(`  fast-import: ${((tImport - t0) / 1000).toFixed(1)} s, ${(sink.bytes / 1e6).toFixed(0)} MB stream`);

  for (const ref of b.deleteRefs) git(out, ['update-ref', '-d', ref]);
  git(out, ['repack', '-a', '-d', '-f', '-q', '--window=50', '--depth=50']);
  const tRepack = Date.now();
  log(`  repack -adf --window=50 --depth=50: ${((tRepack - tImport) / 1000).toFixed(1)} s`);
  git(out, ['reset', '-q', '--hard', 'main']);

  // Resolve marks to commit ids and check every expectation against the repository itself.
  const marks = new Map(fs.readFileSync(marksFile, 'utf8').split('\n').filter(Boolean).map((l) => { const [mk, id] = l.split(' '); return [Number(mk.slice(1)), id]; }));
  fs.rmSync(marksFile, { force: true });
  const expected = b.expected.map((e) => ({ ...e, commit: marks.get(e.mark) }));
  verifyExpectations(out, expected);
  const mainTip = git(out, ['rev-parse', 'refs/heads/main']).trim();
  const manifest = {
    params,
    mainTip,
    generatedSeconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
    fastImportSeconds: Number(((tImport - t0) / 1000).toFixed(1)),
    repackSeconds: Number(((tRepack - tImport) / 1000).toFixed(1)),
    stats: { ...b.stats, tags: b.tags.length, mainSteps: params.commits },
    decoys: b.decoys,
    expected: expected.map(({ token, mark, ...rest }) => rest), // eslint-disable-line no-unused-vars
  };
  fs.writeFileSync(manifestFile(out), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The generator checks itself: each expected place holds the key, and no parent's version of the path does. */
function verifyExpectations(out, expected) {
  const show = (spec) => {
    const r = spawnSync('git', ['cat-file', '-p', spec], { cwd: out, maxBuffer: 1 << 30 });
    return r.status === 0 ? r.stdout.toString('utf8') : null;
  };
  for (const e of expected) {
    if (!e.commit) throw new Error(`no commit id for mark ${e.mark}`);
    const parents = git(out, ['rev-list', '--parents', '-n', '1', e.commit]).trim().split(' ').slice(1);
    let text;
    if (e.path == null) {
      const raw = show(e.commit);
      text = raw.slice(raw.indexOf('\n\n') + 2);
    } else {
      text = show(`${e.commit}:${e.path}`);
      for (const p of parents) {
        const prev = show(`${p}:${e.path}`);
        if (prev && prev.includes(e.token)) throw new Error(`generator self-check: ${e.scenario} key already in a parent at ${e.path}`);
      }
    }
    const line = text?.split('\n')[e.line - 1] ?? '';
    if (!line.includes(e.token)) throw new Error(`generator self-check: ${e.scenario} key not at ${e.path ?? '(message)'}:${e.line} in ${e.commit}`);
  }
}
