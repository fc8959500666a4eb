// `spreeflo-scan completion <shell>`: a completion script written from the program itself,
// so a new command or option completes without anyone editing a script.
import type { Command, Option } from 'commander';
import type { Shell } from './shells.js';

interface Flag {
  names: string[];
  description: string;
  /** Takes a value; `choices` when the value is one of a list, else a path or free text. */
  value: boolean;
  choices?: readonly string[];
}

interface Spec {
  name: string;
  description: string;
  flags: Flag[];
  /** Arguments: their choices when they are one of a list; `null` for paths. */
  args: (readonly string[] | null)[];
}

const BIN = 'spreeflo-scan';

function flagOf(o: Option): Flag {
  return {
    names: [o.short, o.long].filter((n): n is string => n !== undefined),
    description: o.description,
    value: o.required || o.optional,
    ...(o.argChoices ? { choices: o.argChoices } : {}),
  };
}

function specs(program: Command): { top: Flag[]; commands: Spec[] } {
  const help = program.createHelp();
  return {
    top: help.visibleOptions(program).map(flagOf),
    commands: help.visibleCommands(program).map((cmd) => ({
      name: cmd.name(),
      description: cmd.description(),
      flags: help.visibleOptions(cmd).map(flagOf),
      args: cmd.registeredArguments.map((a) => a.argChoices ?? null),
    })),
  };
}

/** Words a shell reads between single quotes. */
const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(program: Command): string {
  const { top, commands } = specs(program);
  const words = (flags: Flag[]) => flags.flatMap((f) => f.names).join(' ');
  const valueCases = commands.flatMap((c) =>
    c.flags.filter((f) => f.value).map((f) => `    ${c.name}\\ ${f.names.join(`|${c.name}\\ `)}) ${f.choices ? `COMPREPLY=($(compgen -W ${quoted(f.choices.join(' '))} -- "$cur"))` : 'COMPREPLY=()'}; return ;;`),
  );
  const argCases = commands.flatMap((c) => (c.args[0] ? [`    ${c.name}) COMPREPLY=($(compgen -W ${quoted(c.args[0].join(' '))} -- "$cur")); return ;;`] : []));
  return `# bash completion for ${BIN} (written by \`${BIN} completion bash\`)
_spreeflo_scan() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${quoted([...commands.map((c) => c.name), ...top.flatMap((f) => f.names)].join(' '))} -- "$cur"))
    return
  fi
  # An option's value: its choices, else files (-o default).
  case "$cmd $prev" in
${valueCases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    case "$cmd" in
${commands.map((c) => `      ${c.name}) COMPREPLY=($(compgen -W ${quoted(words(c.flags))} -- "$cur")) ;;`).join('\n')}
    esac
    return
  fi
  case "$cmd" in
${argCases.join('\n')}
  esac
  COMPREPLY=()
}
complete -o default -F _spreeflo_scan ${BIN}
`;
}

/** Text inside a zsh _arguments spec: brackets and colons are its syntax. */
const zshText = (text: string) => text.replace(/[\\[\]:]/g, (ch) => `\\${ch}`);

function zsh(program: Command): string {
  const { commands } = specs(program);
  const flagSpecs = (f: Flag) => {
    const value = f.value ? `:value:${f.choices ? `(${f.choices.join(' ')})` : '_files'}` : '';
    return f.names.map((n) => quoted(`${n}[${zshText(f.description)}]${value}`));
  };
  const argSpec = (choices: readonly string[] | null, last: boolean) =>
    quoted(`${last && !choices ? '*' : ''}:argument:${choices ? `(${choices.join(' ')})` : '_files'}`);
  const cases = commands.map((c) => {
    const specsOf = [...c.flags.flatMap(flagSpecs), ...c.args.map((a, i) => argSpec(a, i === c.args.length - 1))];
    return `    ${c.name}) _arguments -s ${specsOf.join(' ')} ;;`;
  });
  return `#compdef ${BIN}
# zsh completion for ${BIN} (written by \`${BIN} completion zsh\`)
_spreeflo_scan() {
  local -a commands
  commands=(${commands.map((c) => quoted(`${c.name}:${c.description}`)).join(' ')})
  if (( CURRENT == 2 )); then
    _describe command commands
    return
  fi
  # The command's own options and arguments, as if it were the program.
  shift words
  (( CURRENT-- ))
  case $words[1] in
${cases.join('\n')}
  esac
}
# Autoloaded from $fpath as _${BIN}: complete now; sourced: register.
if [[ $funcstack[1] == _${BIN} ]]; then
  _spreeflo_scan "$@"
else
  compdef _spreeflo_scan ${BIN}
fi
`;
}

/** Text between fish's single quotes. */
const fishText = (text: string) => `'${text.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;

function fish(program: Command): string {
  const { top, commands } = specs(program);
  const names = (f: Flag) => f.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
  const lines = [
    `# fish completion for ${BIN} (written by \`${BIN} completion fish\`)`,
    `complete -c ${BIN} -f`,
    ...top.map((f) => `complete -c ${BIN} -n __fish_use_subcommand ${names(f)} -d ${fishText(f.description)}`),
    ...commands.map((c) => `complete -c ${BIN} -n __fish_use_subcommand -a ${c.name} -d ${fishText(c.description)}`),
  ];
  for (const c of commands) {
    const when = `-n ${fishText(`__fish_seen_subcommand_from ${c.name}`)}`;
    for (const f of c.flags) {
      const value = f.value ? (f.choices ? ` -x -a ${fishText(f.choices.join(' '))}` : ' -r -F') : '';
      lines.push(`complete -c ${BIN} ${when} ${names(f)} -d ${fishText(f.description)}${value}`);
    }
    const choices = c.args[0];
    if (choices) lines.push(`complete -c ${BIN} ${when} -x -a ${fishText(choices.join(' '))}`);
    else if (c.args.length > 0) lines.push(`complete -c ${BIN} ${when} -F`);
  }
  return `${lines.join('\n')}\n`;
}

const WRITERS: Record<Shell, (program: Command) => string> = { bash, zsh, fish };

export function completionCommand(program: Command, shell: Shell): number {
  process.stdout.write(WRITERS[shell](program));
  return 0;
}
