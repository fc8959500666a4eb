// Run a command, time it (wall clock, from spawn to exit) and record its peak RSS.
// Peak RSS comes from GNU time (`/usr/bin/time -v`, "Maximum resident set size") when
// present; otherwise we poll /proc/<pid>/status VmHWM of the direct child (sampled, so
// a final short spike can be missed).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const GNU_TIME = (() => {
  try {
    if (!fs.existsSync('/usr/bin/time')) return null;
    const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
    return /Maximum resident set size/.test(r.stderr || '') ? '/usr/bin/time' : null;
  } catch { return null; }
})();

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** @returns {Promise<{ms:number, code:number|null, signal:string|null, maxRssKb:number|null, cpuMs:number|null, stdout:string, stderr:string}>} cpuMs: user + system time, from GNU time only. */
export function run(cmd, args, { cwd, env, captureStdout = true } = {}) {
  return new Promise((resolve, reject) => {
    const useTime = !!GNU_TIME;
    const file = useTime ? GNU_TIME : cmd;
    const argv = useTime ? ['-v', cmd, ...args] : args;
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out = [], err = [];
    let hwm = null, poll = null;
    if (!useTime) {
      poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwm = Math.max(hwm ?? 0, Number(m[1]));
        } catch { /* exited */ }
      }, 5);
    }
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => { if (poll) clearInterval(poll); reject(e); });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      let stderr = Buffer.concat(err).toString('utf8');
      let maxRssKb = hwm;
      let cpuMs = null;
      if (useTime) {
        const i = stderr.lastIndexOf('\tCommand being timed:');
        const tail = i >= 0 ? stderr.slice(i) : '';
        if (i >= 0) stderr = stderr.slice(0, i).replace(/Command (exited with non-zero status|terminated by signal) \d+\n$/, '');
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(tail);
        maxRssKb = m ? Number(m[1]) : null;
        const user = /User time \(seconds\): ([\d.]+)/.exec(tail);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(tail);
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
        const sig = /Command terminated by signal (\d+)/.exec(Buffer.concat(err).toString('utf8'));
        if (sig) signal = `SIG#${sig[1]}`;
      }
      resolve({ ms, code, signal, maxRssKb, cpuMs, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

export function median(xs) {
  const s = [...xs].filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
