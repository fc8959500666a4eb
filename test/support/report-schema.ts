// Every JSON report the suite produces is checked against the schema the package ships
// (schema/report.schema.json): the report is a contract, and this keeps schema and output one.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

let validate: ValidateFunction | undefined;

/** Throws, naming each mismatch, when `report` is not what the schema says. Compiled once per test file. */
export function checkReport(report: unknown): void {
  validate ??= new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')));
  if (!validate(report)) {
    const errors = validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`JSON report does not match schema/report.schema.json:\n${errors.join('\n')}`);
  }
}

/** The last value of option `long` (or `short`) before `--`, or undefined. */
function optionValue(args: string[], long: string, short: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === long || arg === short) value = args[i + 1];
    else if (arg.startsWith(`${long}=`)) value = arg.slice(long.length + 1);
  }
  return value;
}

/** After a CLI run: when it wrote a JSON report (exit 0 or 1), that report must match the schema. */
export function checkCliReport(args: string[], run: { code: number; stdout: string }, cwd?: string): void {
  if (optionValue(args, '--format', '-f') !== 'json' || (run.code !== 0 && run.code !== 1)) return;
  const output = optionValue(args, '--output', '-o');
  const text = output ? readFileSync(resolve(cwd ?? '.', output), 'utf8') : run.stdout;
  checkReport(JSON.parse(text));
}
