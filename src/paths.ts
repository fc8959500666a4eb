// Path containment, shared by whatever must not reach past a folder.
import { isAbsolute, relative } from 'node:path';

/** Whether `child` is `parent` or inside it (both absolute, in the same form). */
export function within(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
