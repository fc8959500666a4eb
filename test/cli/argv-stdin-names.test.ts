// What the command line is handed, taken as the user meant it: file names that look
// like options (the pre-commit framework appends staged names to the hook's command),
// names with control characters or bytes that are not UTF-8, git's own folders, and
// standard input, FIFOs and devices. Real files, real git repositories, real pre-commit.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { makeV2Key } from '../support/keys.js';
import { BIN, runCli, scanJson, tempDir, writeTree } from '../support/cli.js';
import { TestRepo } from '../support/git.js';

interface ManifestHook {
  id: string;
  entry: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

const manifest = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as ManifestHook[];
const hook = (id: string) => manifest.find((h) => h.id === id)!;
/** A hook's entry words after the binary's name. */
const entryArgs = (id: string) => hook(id).entry.split(' ').slice(1);

const has = (cmd: string) => spawnSync(cmd, ['--version']).status === 0;

describe('file names are never options', () => {
  it('the hook entries end with --, and the scan hook runs alone', () => {
    for (const h of manifest) expect(h.entry.endsWith(' --')).toBe(true);
    expect(hook('spreeflo-scan').require_serial).toBe(true);
  });

  const OPTION_NAMES = ['-h', '--help', '--version', '-V', '--max-file-size=1B', '--output=README.md', '--format=sarif', '--no-ocr'];

  it.each(OPTION_NAMES)('a staged file named %s is scanned, as the hook entry passes it', (name) => {
    const root = tempDir();
    writeTree(root, { 'app.env': `KEY=${makeV2Key()}\n`, 'README.md': '# app\n', [name]: `KEY=${makeV2Key()}\n` });
    // pre-commit: the entry's words, then the file names (git's order: `-` sorts first).
    const run = runCli([...entryArgs('spreeflo-scan'), name, 'app.env'], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^\s+app\.env:1:5$/m);
    expect(run.stdout).toContain(`${name}:1:5`);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('# app\n');
  });

  it.each([
    ['before the other names', (name: string) => ['scan', '--no-progress', name, 'app.env']],
    ['after them', (name: string) => ['scan', '--no-progress', 'app.env', name]],
  ])('without -- (an older hook entry), a name that exists is still a path: %s', (_where, argv) => {
    const root = tempDir();
    writeTree(root, { 'app.env': `KEY=${makeV2Key()}\n`, 'README.md': '# app\n' });
    for (const name of OPTION_NAMES) writeFileSync(join(root, name), 'nothing\n');
    for (const name of OPTION_NAMES) {
      const run = runCli(argv(name), { cwd: root });
      expect(run.code, `${name}: ${run.stderr}`).toBe(1);
      expect(run.stdout).toMatch(/^\s+app\.env:1:5$/m);
    }
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('# app\n');
  });

  it('an option whose value looks like a file name still takes it', () => {
    const root = tempDir();
    writeTree(root, { 'app.env': `KEY=${makeV2Key()}\n`, '-h': 'nothing\n' });
    const run = runCli(['scan', '--no-progress', '--format', 'json', '--output', '-h', 'app.env'], { cwd: root });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(root, '-h'), 'utf8')).findings[0].path).toBe('app.env');
  });

  it('options still work where no such file exists', () => {
    const run = runCli(['scan', '--version'], { cwd: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('staged -- and the staged hook entry are accepted', () => {
    const repo = new TestRepo();
    repo.write({ 'app.env': `KEY=${makeV2Key()}\n` });
    repo.git('add', '-A');
    for (const argv of [['staged', '--'], entryArgs('spreeflo-scan-staged'), ['staged']]) {
      const run = runCli(argv, { cwd: repo.dir });
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stdout).toContain('app.env:1:5');
    }
  });

  it.skipIf(!has('pre-commit'))('the real pre-commit framework: a file named -h or --output=README.md is scanned, README.md untouched', () => {
    const repo = new TestRepo();
    const entry = hook('spreeflo-scan').entry.replace(/^spreeflo-scan /, `${process.execPath} ${BIN} `);
    repo.write({
      'app.env': 'APP=1\n',
      '-h': `KEY=${makeV2Key()}\n`,
      '--output=README.md': `KEY=${makeV2Key()}\n`,
      'README.md': '# app\n',
      // The published hook, run from this checkout instead of an npm install.
      '.pre-commit-config.yaml': `repos:\n  - repo: local\n    hooks:\n      - id: spreeflo-scan\n        name: spreeflo-scan\n        entry: ${entry}\n        language: system\n        pass_filenames: true\n        require_serial: true\n`,
    });
    repo.git('add', '-A');
    const run = spawnSync('pre-commit', ['run', '--all-files'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, PRE_COMMIT_HOME: tempDir(), NO_COLOR: '1' },
    });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^\s+-h:1:5$/m);
    expect(run.stdout).toMatch(/^\s+--output=README\.md:1:5$/m);
    expect(readFileSync(join(repo.dir, 'README.md'), 'utf8')).toBe('# app\n');
  });
});

/** A name as bytes: a string's UTF-8, with `\xNN` standing for the byte NN. */
const bytes = (name: string) => Buffer.from(name.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
/** A name given as real characters, in its UTF-8 bytes. */
const utf8 = (name: string) => Buffer.from(name, 'utf8');

describe('every file name is scanned, and printed escaped', () => {
  const CASES: Array<[string, Buffer[], string]> = [
    ['newline', [utf8('a\nb.env')], 'a\\nb.env'],
    ['carriage return', [utf8('c\rd.env')], 'c\\rd.env'],
    ['tab', [utf8('t\tx.env')], 't\\tx.env'],
    ['terminal escape', [utf8('\x1b[31mred.env')], '\\x1b[31mred.env'],
    ['DEL and a C1 control', [utf8('d\x7fe\u0085.env')], 'd\\x7fe\\u0085.env'],
    ['line separator', [utf8('u\u2028v.env')], 'u\\u2028v.env'],
    ['a byte that is not UTF-8', [bytes('e\\xff.env')], 'e\\xff.env'],
    ['a cut UTF-8 sequence', [bytes('f\\xe2\\x82.env')], 'f\\xe2\\x82.env'],
    ['an overlong sequence', [bytes('g\\xc0\\xaf.env')], 'g\\xc0\\xaf.env'],
    ['U+FFFD itself, a valid character', [utf8('h\ufffd.env')], 'h\ufffd.env'],
    ['plain UTF-8', [utf8('clé.env')], 'clé.env'],
    ['inside a folder named with a newline', [utf8('dir\nx'), utf8('in.env')], 'dir\\nx/in.env'],
    ['deep inside a folder that is not UTF-8', [bytes('bad\\xfe'), utf8('deep'), utf8('in.env')], 'bad\\xfe/deep/in.env'],
  ];

  const root = tempDir();
  const keys = new Map<string, string>();
  for (const [, parts, shown] of CASES) {
    let dir = Buffer.from(root);
    for (const part of parts.slice(0, -1)) {
      dir = Buffer.concat([dir, Buffer.from('/'), part]);
      mkdirSync(dir, { recursive: true });
    }
    const key = makeV2Key();
    keys.set(shown, key);
    writeFileSync(Buffer.concat([dir, Buffer.from('/'), parts.at(-1)!]), `KEY=${key}\n`);
  }

  let scanned: ReturnType<typeof scanJson>;
  beforeAll(() => {
    scanned = scanJson([root, '--no-progress']);
  });

  it.each(CASES)('%s', (_name, _parts, shown) => {
    const { run, report } = scanned;
    expect(run.code).toBe(1);
    const here = report.findings.filter((f) => f.path === shown);
    expect(here, report.findings.map((f) => f.path).join(' | ')).toHaveLength(1);
    expect(here[0]!.line).toBe(1);
    expect(report.skipped).toEqual([]);
  });

  it('each file once, none lost: the summary counts them all', () => {
    expect(scanned.report.summary.files).toBe(CASES.length);
    expect(scanned.report.findings).toHaveLength(CASES.length);
  });

  it.each(['text', 'html', 'sarif'])('the %s report prints the same escapes, and no control character', (format) => {
    const run = runCli(['scan', root, '--no-progress', '--format', format]);
    expect(run.code).toBe(1);
    if (format === 'sarif') {
      const uris = JSON.parse(run.stdout).runs[0].results.map((r: any) => decodeURI(r.locations[0].physicalLocation.artifactLocation.uri));
      expect(uris.sort()).toEqual([...keys.keys()].sort());
    }
    for (const shown of keys.keys()) {
      const inFormat = format === 'html' ? shown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : shown;
      if (format !== 'sarif') expect(run.stdout).toContain(inFormat);
    }
    expect(run.stdout).not.toMatch(/[\x1b\r\x7f\u0085\u2028]/);
  });

  it('exclude and include globs apply to escaped names', () => {
    const { report } = scanJson([root, '--no-progress', '--exclude', 'bad*/**', '--include', '**/*.env']);
    expect(report.findings.map((f) => f.path)).not.toContain('bad\\xfe/deep/in.env');
    expect(report.findings).toHaveLength(CASES.length - 1);
  });

  it('a link inside a folder that is not UTF-8 is followed like any other', () => {
    const dir = tempDir();
    const odd = Buffer.concat([Buffer.from(`${dir}/`), bytes('o\\xff')]);
    mkdirSync(odd);
    writeFileSync(join(dir, 'target.env'), `KEY=${makeV2Key()}\n`);
    symlinkSync(join(dir, 'target.env'), Buffer.concat([odd, Buffer.from('/link.env')]));
    const { report } = scanJson([dir, '--no-progress']);
    expect(report.findings.map((f) => f.path).sort()).toEqual(['o\\xff/link.env', 'target.env']);
  });
});

describe("only a repository's own .git is left out", () => {
  const GIT_REASON = "git's own folder; use `history` to scan it";

  it.each([
    ['a folder named .git without HEAD and objects', { 'vendor/.git/config': 'K' }, 'vendor/.git/config', null],
    ['a file named .git that is not a gitdir link', { 'docs/.git': 'K' }, 'docs/.git', null],
    ['a gitdir link (a worktree or submodule)', { 'sub/.git': 'gitdir: ../.git/modules/sub\n', 'sub/x.env': 'K' }, 'sub/x.env', 'sub/.git'],
    ['a nested repository', { 'inner/.git/HEAD': 'ref: refs/heads/main\n', 'inner/.git/objects/info/packs': 'K', 'inner/a.env': 'K' }, 'inner/a.env', 'inner/.git'],
    ['a worktree link inside a folder named with a newline', { 'w\nt/.git': 'gitdir: ../.git/worktrees/wt\n', 'w\nt/a.env': 'K' }, 'w\\nt/a.env', 'w\\nt/.git'],
    ['a repository inside a folder named with a newline', { 'n\nl/.git/HEAD': 'ref: refs/heads/main\n', 'n\nl/.git/objects/x': 'K', 'n\nl/a.env': 'K' }, 'n\\nl/a.env', 'n\\nl/.git'],
  ] as const)('%s', (_name, files, found, skipped) => {
    const repo = new TestRepo();
    const key = makeV2Key();
    writeTree(repo.dir, Object.fromEntries(Object.entries(files).map(([p, c]) => [p, c === 'K' ? `KEY=${key}\n` : c])));
    const { report } = scanJson([repo.dir, '--no-progress']);
    expect(report.findings.map((f) => f.path)).toEqual([found]);
    const gitSkips = report.skipped.filter((s: { reason: string }) => s.reason === GIT_REASON).map((s: { path: string }) => s.path);
    expect(gitSkips.sort()).toEqual(['.git', ...(skipped ? [skipped] : [])].sort());
  });
});

/** Runs the CLI as an ordinary user (root reads everything), or as this one. */
function runUnprivileged(args: string[], cwd: string) {
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const argv = [...asUser, process.execPath, BIN, ...args];
  const res = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('standard input, FIFOs and devices', () => {
  it.each([
    ['-', [], '<stdin>'],
    ['- with --stdin-name', ['--stdin-name', 'piped.env'], 'piped.env'],
    ['/dev/stdin', [], '/dev/stdin'],
  ])('%s is read', (_name, flags, shown) => {
    const key = makeV2Key();
    const root = _name.startsWith('/') ? '/dev/stdin' : '-';
    const run = runCli(['scan', root, ...flags, '--no-progress', '--format', 'json'], { input: `KEY=${key}\n` });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => [f.path, f.line])).toEqual([[shown, 1]]);
  });

  it('- beside a folder', () => {
    const root = tempDir();
    writeTree(root, { 'a.env': `KEY=${makeV2Key()}\n` });
    const run = runCli(['scan', '-', root, '--no-progress', '--format', 'json'], { input: `KEY=${makeV2Key()}\n` });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { path: string }) => f.path).sort()).toEqual(['<stdin>', `${root}/a.env`].sort());
  });

  it('an archive piped in is opened', () => {
    const root = tempDir();
    writeTree(root, { 'in/app.env': `KEY=${makeV2Key()}\n` });
    const tar = spawnSync('tar', ['-C', join(root, 'in'), '-cf', '-', 'app.env']).stdout;
    const res = spawnSync(process.execPath, [BIN, 'scan', '-', '--no-progress', '--format', 'json'], { input: tar, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(1);
    expect(JSON.parse(res.stdout).findings[0]).toMatchObject({ path: '<stdin>', entry: 'app.env' });
  });

  it('past --max-file-size the rest is listed as not read', () => {
    const early = makeV2Key();
    const run = runCli(['scan', '-', '--max-file-size', '1KB', '--no-progress', '--format', 'json'], {
      input: `KEY=${early}\n${'x'.repeat(2000)}\nKEY=${makeV2Key()}\n`,
    });
    const report = JSON.parse(run.stdout);
    expect(report.findings).toHaveLength(1);
    expect(report.skipped).toEqual([{ path: '<stdin>', reason: expect.stringMatching(/the rest was not read/), unread: true }]);
  });

  it('a character device that never ends (/dev/zero) stops at --max-file-size', () => {
    const run = runCli(['scan', '/dev/zero', '--max-file-size', '64KB', '--no-progress', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).skipped[0]).toMatchObject({ path: '/dev/zero', reason: expect.stringMatching(/not read/) });
  });

  it('a FIFO named on the command line is read as a stream', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf 'KEY=%s\\n' "$KEY" > "$0"`, fifo], { env: { ...process.env, KEY: makeV2Key() } });
    const res = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'scan', fifo, '--no-progress', '--format', 'json']);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });
    writer.kill();
    expect(res.code).toBe(1);
    expect(JSON.parse(res.out).findings[0].path).toBe(fifo);
  });

  it('FIFOs and sockets met in a folder are skipped with the reason, never opened', async () => {
    const dir = tempDir();
    writeTree(dir, { 'a.env': `KEY=${makeV2Key()}\n` });
    spawnSync('mkfifo', [join(dir, 'pipe')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
    try {
      const { run, report } = scanJson([dir, '--no-progress']);
      expect(run.code).toBe(1);
      expect(report.skipped.map((s: { path: string; reason: string }) => [s.path, s.reason])).toEqual([
        ['pipe', 'not a regular file (device, socket or pipe)'],
        ['sock', 'not a regular file (device, socket or pipe)'],
      ]);
    } finally {
      server.close();
    }
  });

  const privilegeDrop = process.getuid?.() !== 0 || has('setpriv');

  it.skipIf(!privilegeDrop).each([
    ['an unreadable folder', (dir: string) => mkdirSync(join(dir, 'target'), { mode: 0o000 })],
    ['an unreadable file', (dir: string) => writeFileSync(join(dir, 'target'), 'x', { mode: 0o000 })],
  ])('%s named on the command line exits 2 with one line', (_name, make) => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    make(dir);
    const run = runUnprivileged(['scan', 'target', '--no-progress'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('spreeflo-scan: cannot scan target: unreadable (EACCES: permission denied)\n');
  });

  it.each([
    ['a socket', async (dir: string) => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(join(dir, 'target'), resolve));
      return () => server.close();
    }, /cannot scan target: a socket/],
    ['a path that does not exist', async () => () => undefined, /path not found: target/],
  ])('%s named on the command line exits 2', async (_name, make, message) => {
    const dir = tempDir();
    const done = await make(dir);
    try {
      const run = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'scan', 'target', '--no-progress'], { cwd: dir });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      });
      expect(run.code).toBe(2);
      expect(run.err).toMatch(message);
    } finally {
      done();
    }
  });

  it('- named twice exits 2', () => {
    const run = runCli(['scan', '-', '-']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/standard input \(-\) can be named once/);
  });
});
