// How much of a tree plain ripgrep leaves unread: rg stops at a file's first NUL (it takes
// the file for binary), where the scanner reads on. Lists the files as rg does
// (`rg --files` with the same flags), reads each and counts those holding a NUL and
// their bytes, and the bytes before their first NUL (what rg reads of them, at most).
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** { files, bytes, binaryFiles, binaryBytes, beforeNul } for `rg --files <args>`. */
export function binaryShare(rg, args) {
  const list = execFileSync(rg, ['--files', ...args], { maxBuffer: 1 << 30 }).toString().split('\n').filter(Boolean);
  const share = { files: list.length, bytes: 0, binaryFiles: 0, binaryBytes: 0, beforeNul: 0 };
  for (const file of list) {
    let data;
    try { data = fs.readFileSync(file); } catch { continue; }
    share.bytes += data.length;
    const nul = data.indexOf(0);
    if (nul === -1) continue;
    share.binaryFiles++;
    share.binaryBytes += data.length;
    share.beforeNul += nul;
  }
  return share;
}
