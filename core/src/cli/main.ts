/** The `touchline` command-line tool: dispatches to one subcommand and owns printing and exit codes. */
import { TouchlineError, isTouchlineError } from '../errors.ts';
import { choiceOption, fileContext, formatResult, parseCommandArgs, type CliContext, type Command } from './command.ts';
import { commands } from './commands.ts';

export interface CliOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'touchline: sports-science tools for heart-rate, HRV, GNSS and training-load files',
    '',
    'usage: touchline <command> [options] [--format json|csv]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `touchline <command> --help` for a command\'s options. Errors print a TL_ERR_ code and exit with status 2.',
  ].join('\n') + '\n';
}

function findCommand(name: string | undefined): Command {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new TouchlineError('TL_ERR_CLI_USAGE', `Unknown command "${name ?? ''}". Run touchline --help.`);
  return command;
}

/** Runs one command line and returns what to print, so tests need no child process. */
export async function runCli(argv: string[], ctx: CliContext = fileContext): Promise<CliOutcome> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    return { exitCode: name === undefined ? 2 : 0, stdout: name === undefined ? '' : helpText(), stderr: name === undefined ? helpText() : '' };
  }
  try {
    const command = findCommand(name);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) return { exitCode: 0, stdout: `usage: ${command.usage}\n`, stderr: '' };
    const format = choiceOption(values, 'format', ['json', 'csv'] as const, 'json');
    const result = await command.run(positionals, values, ctx);
    return { exitCode: 0, stdout: formatResult(result, format), stderr: '' };
  } catch (err) {
    if (isTouchlineError(err)) return { exitCode: 2, stdout: '', stderr: `${err.code}: ${err.message}\n` };
    throw err;
  }
}
