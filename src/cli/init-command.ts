// `spreeflo-scan init`: installs (or with --uninstall removes) the pre-commit check.
import { installHook, uninstallHook } from '../hooks/install.js';

export interface InitOptions {
  uninstall?: boolean;
}

export async function initCommand(opts: InitOptions): Promise<number> {
  const report = opts.uninstall ? await uninstallHook(process.cwd()) : await installHook(process.cwd());
  process.stdout.write(report.lines.map((l) => `${l}\n`).join(''));
  return 0;
}
