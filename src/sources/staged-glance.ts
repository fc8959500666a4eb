// The pre-commit hook's first look at what is staged, before the full scanner loads: in
// a commit of plain text the detector itself reads each file and each path, as the full
// scan would (ContentScanner sends plain text straight to Detector.scan). When it finds
// nothing there is nothing to filter, verify or skip, and the commit is clean. Anything
// else goes to the full scan: a candidate (an example key, an allowed one: the filters
// decide), a file git did not diff as text, a container, picture or document by name or
// content, an LFS pointer, suppression settings in HEAD or the index.
import type { StagedFile } from '../git/staged-diff.js';
import type { ApprovedSettings } from '../git/approved-settings.js';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { NameScanner } from '../detect/names.js';
import { hasPngText, isImageData, isImagePath, readerKind, readerKindByName } from '../formats/kinds.js';
import { lfsPointer } from '../git/lfs.js';
import { defaultConfig } from '../config.js';

/**
 * The check, made ready before git answers (the hook's main thread has nothing else to do
 * then): given what is staged, the bytes the files hold when the detector finds nothing in
 * them, for the report's counts; null: scan them.
 */
export function nothingFound(rules: RuleDefinition[]): (files: StagedFile[], settings: ApprovedSettings) => number | null {
  // A commit's few files are searched in JavaScript: compiling the native pass (scan-pass.ts)
  // cost the hook 1.6 ms, more than it saves on them (bench/README.md, "One native pass").
  const detector = new Detector(rules.map(compileRule), { nativeFrom: Infinity });
  const names = new NameScanner(detector);
  const { maxFileSize } = defaultConfig();
  return (files, settings) => {
    // Settings may add rules, change what is read, turn OCR off: the full scan reads them.
    if (settings.config || settings.ignore || settings.notes.length > 0) return null;
    for (const { path, content, large } of files) {
      if (!content || large || content.length > maxFileSize || lfsPointer(content)) return null;
      if (readerKind(path, content) || readerKindByName(path) || isImageData(content) || isImagePath(path) || hasPngText(content)) return null;
    }
    let bytes = 0;
    for (const { path, content } of files) {
      if (names.scan(path).length > 0 || detector.scan(content!).length > 0) return null;
      bytes += content!.length;
    }
    return bytes;
  };
}
