// Folders a package manager fills with other people's code. `scan` of a folder leaves
// them out by default and lists each one (a user's own key there is rare; a scan of a
// project's 200 MB of node_modules on every run is slow); --include-deps scans them.
// A name other tools also use for the project's own files counts only with the file the
// package manager writes there: a `vendor` folder of one's own code is scanned.

interface DependencyFolder {
  /** Who fills it, for the report. */
  tool: string;
  /** One of these files in it marks it as the package manager's; none listed: the name says it. */
  markers?: string[];
}

const FOLDERS = new Map<string, DependencyFolder>([
  ['node_modules', { tool: 'npm, yarn or pnpm' }],
  ['bower_components', { tool: 'Bower' }],
  ['jspm_packages', { tool: 'jspm' }],
  // Composer writes vendor/autoload.php; `go mod vendor` writes vendor/modules.txt.
  ['vendor', { tool: 'Composer or Go', markers: ['autoload.php', 'modules.txt'] }],
  // Every virtual environment (venv, virtualenv, uv, poetry) holds pyvenv.cfg.
  ['.venv', { tool: 'a Python virtual environment', markers: ['pyvenv.cfg'] }],
  ['venv', { tool: 'a Python virtual environment', markers: ['pyvenv.cfg'] }],
]);

/** Whether `name` is one a package manager fills (with its marker file, for some names). */
export function isDependencyFolderName(name: string): boolean {
  return FOLDERS.has(name);
}

/**
 * Why the folder `name` is left out, or null. `has(file)` tells whether the folder holds
 * `file`; it is asked only for the few names that need a marker.
 */
export function dependencyFolderReason(name: string, has: (file: string) => boolean): string | null {
  const folder = FOLDERS.get(name);
  if (!folder || (folder.markers && !folder.markers.some(has))) return null;
  return `dependency folder (${folder.tool}), not scanned: --include-deps scans it`;
}
