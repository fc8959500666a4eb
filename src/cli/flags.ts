// Flags every scanning command shares. Kept apart from what they set up, so the
// command line can be parsed without loading the scanner.
import { Option, type Command } from 'commander';
import { parseSize } from '../units.js';

export interface CommonOptions {
  format: 'text' | 'json' | 'sarif';
  output?: string;
  showSecrets?: boolean;
  config?: string;
  ignoreFile?: string;
  baseline?: string;
  strict?: boolean;
  progress: boolean;
  color?: boolean;
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--show-secrets', 'print whole keys in the report (redacted by default)')
    .option('-c, --config <file>', 'configuration file (default: .spreeflo-scan.yaml in the scanned folder)')
    .option('--ignore-file <file>', 'ignore file (default: .spreeflo-scan-ignore in the scanned folder)')
    .option('--baseline <report.json>', 'only report findings that are not in this earlier JSON report')
    .option('--strict', 'low-confidence findings fail the scan too')
    .option('--no-progress', 'never show progress on stderr')
    .option('--no-color', 'no colours in the text report');
}


export function sizeOption(value: string): number {
  return parseSize(value, '--max-file-size');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
