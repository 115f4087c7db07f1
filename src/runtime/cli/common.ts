/**
 * What both command-line programs share: argument parsing with node's `util.parseArgs`, number validation, and
 * the error policy. User errors (a {@link LocalRunnerError} or an emulator configuration error) print one line and
 * exit with their code (2 usage, 1 otherwise); anything else is a bug and keeps its stack trace.
 */

import { relative } from 'path';
import { EmulatorError, LocalRunnerError, UsageError } from '../errors';
import { unsupportedNodeMessage } from '../node-support';

/**
 * The arguments as users type them. npm and projen pass everything after a lone `--` on to the program
 * (`npx projen local:audit -- --seed 5` arrives as `--consumer audit -- --seed 5`), and these programs take no
 * positional arguments, so a lone `--` separates nothing here: it is dropped, wherever it stands, and
 * `npx projen local:audit --seed 5` means the same.
 */
export function optionArguments(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg !== '--');
}

/**
 * Set by each `local` and `redrive` task of a generated repository to the task's own name (`local:audit`): the
 * programs are not on the PATH there, so advice must name the task the user ran, not the program.
 */
export const TASK_ENV = 'DDB_STREAM_TASK';

/**
 * The command that runs this program again, ready for more arguments: the projen task that started it
 * (`npx projen local:audit --`), or, run directly, node with the program's file as it was given.
 */
export function rerunCommand(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): string {
  const task = env[TASK_ENV];
  if (task !== undefined && /^[\w:.-]+$/.test(task)) return `npx projen ${task} --`;
  return `node ${relative(process.cwd(), argv[1] ?? '') || argv[1]}`;
}

/** projen's default `srcdir`: the generated tasks pass `--srcdir` only for another. */
export const DEFAULT_SRCDIR = 'src';

/**
 * Where a generated repository keeps the modules both programs load by default, under its projen `srcdir`
 * (`--srcdir`, passed by the generated tasks when it is not `src`): `<srcdir>/generated/config.ts` and
 * `<srcdir>/handlers/<consumer>.ts`.
 */
export function sourceLayout(srcdir: string | undefined): { readonly srcdir: string; readonly config: string; handler(consumer: string): string } {
  const dir = srcdir === undefined ? DEFAULT_SRCDIR : srcdir.replace(/[\\/]+$/, '');
  if (dir === '') throw new UsageError(`--srcdir ${JSON.stringify(srcdir)} names no folder: pass the project's srcdir, e.g. --srcdir ${DEFAULT_SRCDIR}`);
  return { srcdir: dir, config: `${dir}/generated/config.ts`, handler: (consumer) => `${dir}/handlers/${consumer}.ts` };
}

/** Runs a `util.parseArgs` call, turning its errors into a {@link UsageError} that points at `--help`. */
export function parsed<R>(parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    // Node's messages name the argument ("Unknown option '--prot'"); add the way out.
    throw new UsageError(`${(error as Error).message.replace(/\.?\s*To specify a positional argument.*$/s, '')}: run \`${rerunCommand()} --help\` for the options`);
  }
}

export function integer(flag: string, value: string | undefined, min: number, max: number, fallback: number): number;
export function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined;
export function integer(flag: string, value: string | undefined, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not an integer between ${min} and ${max}: pass e.g. ${flag} ${fallback ?? Math.min(max, Math.max(min, 1))}`);
  }
  return n;
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not allowed (allowed: ${allowed.join(', ')}): pass one of those`);
  }
  return value as T;
}

/** Runs `main`, turning its result into an exit code and user errors into one line on stderr. */
export function runCli(program: string, main: () => Promise<number>): void {
  const unsupported = unsupportedNodeMessage();
  if (unsupported) {
    process.stderr.write(`${program}: ${unsupported}\n`);
    process.exitCode = 1;
    return;
  }
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof LocalRunnerError) {
        const rerun = error.rerunWith === undefined ? '' : `: ${rerunCommand()} ${error.rerunWith}`;
        process.stderr.write(`${program}: ${error.message}${rerun}\n`);
        process.exitCode = error.exitCode;
      } else if (error instanceof EmulatorError) {
        process.stderr.write(`${program}: ${error.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`${program}: unexpected error (a bug; please report it with this output):\n${(error as Error)?.stack ?? String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
