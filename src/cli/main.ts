// The command line. Each command's module is loaded only when that command runs,
// so a pre-commit hook pays for nothing it does not use.
import { lstatSync } from 'node:fs';
import { Argument, Command, CommanderError, Option } from 'commander';
import { EXIT_ERROR, runTask } from './run.js';
import { TOOL_VERSION } from '../version.js';
import { addOcrOptions, addReportOptions, collect, positiveInt, positiveNumber, sizeOption } from './flags.js';
import { startStagedGit } from '../git/staged-start.js';
import { SHELLS, type Shell } from './shells.js';


function buildProgram(run: (task: () => Promise<number>) => Promise<void>): Command {
  const program = new Command('spreeflo-scan')
    .description('Find leaked Spreeflo API keys in files, git history and screenshots.')
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError('(run spreeflo-scan --help for usage)');

  addOcrOptions(addReportOptions(
    program
      .command('scan')
      .description('scan files and folders (default: the current folder)')
      .argument('[paths...]', 'files or folders to scan; - reads standard input'),
  ))
    .option('-e, --exclude <glob>', 'skip paths matching this glob (repeatable)', collect)
    .option('-i, --include <glob>', 'only scan paths matching this glob (repeatable)', collect)
    .option('--gitignore', 'skip files that .gitignore files ignore')
    .option('--follow-symlinks', 'follow symlinks to folders')
    .option('--include-deps', 'scan dependency folders (node_modules, bower_components, jspm_packages, Composer and Go vendor, Python virtual environments) too')
    .addOption(new Option('--max-file-size <size>', 'skip (and report) files larger than this').argParser(sizeOption))
    .option('--files-from <file>', 'also scan the paths listed in this file, one a line (- reads standard input); a listed path that does not exist fails the run')
    .option('-z, --null', 'the --files-from list is NUL-separated (git diff -z, find -print0)')
    .option('--stdin-name <name>', 'the name standard input (-) has in the report (default: <stdin>)')
    .option('--hook', "word a blocked result for the commit or push the pre-commit framework checks (its hook entry sets this)")
    .option('--write-redacted <dir>', 'write a copy of each leaking image file to this folder (outside the scanned one) with every key box filled')
    .action((paths: string[], opts) =>
      run(async () => {
        (await import('./node-child.js')).growHeapInSteps();
        return (await import('./scan-command.js')).scanCommand(paths, opts);
      }),
    );

  addOcrOptions(addReportOptions(
    program
      .command('staged')
      .description('scan what is staged for the next commit (the pre-commit check)'),
  ))
    .option('--all-staged', 'scan whole staged files, not only the lines the commit adds')
    .action((opts) =>
      run(async () => {
        // git starts first: it works while the scanner's code loads.
        const git = startStagedGit(process.cwd());
        return (await import('./staged-command.js')).stagedCommand(opts, git);
      }),
    );

  program
    .command('init')
    .description('install the pre-commit check (husky when the project uses it, else a git hook)')
    .option('--uninstall', 'remove what init added (and the hook file, if nothing else is in it)')
    .action((opts) => run(async () => (await import('./init-command.js')).initCommand(opts)));

  addOcrOptions(addReportOptions(
    program
      .command('history')
      .description('scan git history: everything reachable from all refs, or the commits of a range')
      .argument('[range]', 'a revision range, for example origin/main..HEAD (pull-request mode)'),
  ))
    .addOption(new Option('--max-file-size <size>', 'skip (and report) blobs larger than this').argParser(sizeOption))
    .action((range: string | undefined, opts) =>
      run(async () => {
        // The whole history reads every object in the store: in a lean node (node-child.ts).
        // A range is a pull request's few commits, done before a second node would start.
        const childCode = range === undefined ? await (await import('./node-child.js')).inLeanNode('history') : null;
        return childCode ?? (await import('./history-command.js')).historyCommand(range, opts);
      }),
    );

  addOcrOptions(addReportOptions(
    program
      .command('audit')
      .description("scan the history of many repositories (a list of paths and clone URLs), resumably, one shard of them at a time"),
  ))
    .requiredOption('--repos <file>', 'the repositories, one a line: a local path (from the list\'s folder) or a clone URL')
    .addOption(new Option('--jobs <n>', 'repositories scanned at once').argParser(positiveInt).default(2))
    .option('--state <dir>', 'where results and clones go; a run with the same folder continues where one stopped', 'spreeflo-scan-audit')
    .option('--shard <i/n>', 'audit only shard I of N (0 <= I < N), chosen by a hash of each repository\'s name; merge the shards with `merge`')
    .option('--files', "scan each repository's default branch's files (as `scan` does) instead of its history")
    .option('--carry-keys', 'seal each key into the results (under SPREEFLO_SCAN_AUDIT_SECRET) so `merge --verify` can check it')
    .addOption(new Option('--clone-timeout <seconds>', 'give up a clone that takes longer (the repository is listed as not read)').argParser(positiveNumber).default(3600))
    .addOption(new Option('--max-file-size <size>', 'skip (and report) blobs larger than this').argParser(sizeOption))
    .action((opts) => run(async () => (await import('./audit-command.js')).auditCommand(opts)));

  addReportOptions(
    program
      .command('merge')
      .description("combine audit shards' results (each --state folder's results.jsonl) into one report; --verify checks each unique key once")
      .argument('<results...>', "results files of an audit's shards"),
  ).action((files: string[], opts) => run(async () => (await import('./merge-command.js')).mergeCommand(files, opts)));

  program
    .command('version')
    .description('print the version (as --version)')
    .action(() => {
      process.stdout.write(`${TOOL_VERSION}\n`);
    });

  program
    .command('completion')
    .description('print a shell completion script (see the README for where to put it)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action((shell: Shell) => run(async () => (await import('./completion.js')).completionCommand(program, shell)));

  // --quiet means no progress either: one place for every scanning command.
  program.hook('preAction', (_program, command) => {
    if (command.opts().quiet) command.setOptionValue('progress', false);
  });

  return program;
}

/** True when `arg` names something on disk (a file may be called `-h`). */
function exists(arg: string): boolean {
  try {
    lstatSync(arg);
    return true;
  } catch {
    return false;
  }
}

/**
 * `scan`'s arguments with every one that looks like an option but names an existing
 * path moved after `--`. The pre-commit framework appends staged file names to the
 * hook's command; with an older hook entry that does not end in `--`, a file named
 * `-h` or `--output=README.md` would otherwise turn the scan off or overwrite a file.
 */
function pathsAfterDashDash(scan: Command, args: string[]): string[] {
  const end = args.indexOf('--');
  const before = end === -1 ? args : args.slice(0, end);
  const after = end === -1 ? [] : args.slice(end + 1);
  const kept: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const arg = before[i]!;
    const option = scan.options.find((o) => o.short === arg || o.long === arg);
    if (option?.required && i + 1 < before.length) {
      // The option's value is the next argument, whatever it looks like.
      kept.push(arg, before[++i]!);
    } else if (arg.length > 1 && arg.startsWith('-') && exists(arg)) {
      paths.push(arg);
    } else {
      kept.push(arg);
    }
  }
  return paths.length ? [...kept, '--', ...paths, ...after] : args;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const run = async (task: () => Promise<number>) => {
    code = await runTask(task);
  };
  try {
    const program = buildProgram(run);
    const scan = program.commands.find((c) => c.name() === 'scan')!;
    if (argv[2] === 'scan') argv = [...argv.slice(0, 3), ...pathsAfterDashDash(scan, argv.slice(3))];
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    return runTask(() => Promise.reject(err));
  }
}
