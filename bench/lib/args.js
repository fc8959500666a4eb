// Tiny `--name value` / `--flag` parser (no dependencies).
export function parseArgs(argv, spec) {
  const out = {};
  for (const [k, v] of Object.entries(spec)) out[k] = v.default;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { out.help = true; continue; }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in spec)) throw new Error(`unknown argument: ${a}`);
    const s = spec[m[1]];
    let val = m[2];
    if (s.type === 'boolean') { out[m[1]] = val === undefined ? true : val !== 'false'; continue; }
    if (val === undefined) { val = argv[++i]; if (val === undefined) throw new Error(`--${m[1]} needs a value`); }
    if (s.type === 'number') {
      const n = Number(val);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`--${m[1]} must be a positive number`);
      out[m[1]] = n;
    } else out[m[1]] = val;
  }
  return out;
}
