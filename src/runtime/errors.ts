/**
 * The runtime kit's error hierarchy, in one module that every folder of src/runtime may import (records, tools,
 * the emulator, the local runner, redrive and the CLIs), so none of them imports another's folder for its errors.
 *
 * Two roots, as before: {@link EmulatorError} for the in-process emulator, {@link LocalRunnerError} for the local
 * runner, redrive and their CLIs. The emulator's entry point (`lib/runtime`) exports the first family, the local
 * runner's (`lib/runtime/local`) the second.
 */

/**
 * Every error the emulator throws extends {@link EmulatorError}, so callers can tell emulator misuse apart from
 * errors thrown by the handler under test (those are recorded in the trace, never rethrown).
 * Messages name the argument, the value given, the allowed values and the fix.
 */
export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The consumer configuration is outside what AWS accepts; lists every problem at once. */
export class InvalidConsumerConfigError extends EmulatorError {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid consumer configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** An emulator option (not the consumer configuration) is invalid. */
export class InvalidEmulatorOptionError extends EmulatorError {}

/** A filter pattern uses syntax that Lambda's DynamoDB filtering rejects or that the emulator does not implement. */
export class InvalidFilterPatternError extends EmulatorError {}

/** A record is missing what the event source mapping relies on (sequence number, creation time, keys). */
export class InvalidRecordError extends EmulatorError {}

/** A child shard was fed before its parent was finished, which Lambda never does. */
export class ShardLineageError extends EmulatorError {}

/** The safety limit on invocations was reached: the retry policy never lets the shard move on. */
export class InvocationLimitError extends EmulatorError {}

/** A fixture builder was given an item that does not fit the table definition. */
export class FixtureError extends EmulatorError {}

/**
 * Every error the local runner, redrive and their CLIs throw on purpose extends {@link LocalRunnerError}: the CLIs
 * print its message on one line and exit with its `exitCode`, without a stack trace. Anything else is a bug and is
 * printed with its stack. Messages name what is wrong, the value given, what is allowed and the fix.
 */
export class LocalRunnerError extends Error {
  /** 2 for usage errors (bad arguments or configuration), 1 for everything else. */
  public readonly exitCode: number = 1;
  /**
   * The arguments that fix it when the same command runs again (`--reset`): the CLIs print them after the command the
   * user ran, which only they know.
   */
  public readonly rerunWith?: string;

  /** `options.cause`: the SDK's or the system's error this one explains, kept for code that tells causes apart. */
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A command-line argument or option is missing, malformed or out of range. */
export class UsageError extends LocalRunnerError {
  public override readonly exitCode = 2;
}

/** The config or handler module cannot be loaded or does not export what is needed. */
export class ModuleLoadError extends LocalRunnerError {
  public override readonly exitCode = 2;
}

/** Items given to seed (`--seed-items`, `seedItems`) cannot be written as they are; nothing was written. */
export class SeedItemsError extends LocalRunnerError {
  public override readonly exitCode = 2;
}

/** Java is missing or too old for DynamoDB Local. */
export class JavaNotFoundError extends LocalRunnerError {}

/** DynamoDB Local did not start (port taken, database folder unusable, crashed). */
export class DynamoDbLocalError extends LocalRunnerError {}

/** The existing local table does not match the table definition (key schema, stream). */
export class TableMismatchError extends LocalRunnerError {
  public override readonly rerunWith = '--reset';
}

/** The Streams API returned a record without what every stream record carries. */
export class RecordConversionError extends LocalRunnerError {}

/** The state folder is used by a live runner (or redrive), named in the message. */
export class StateDirInUseError extends LocalRunnerError {
  constructor(
    message: string,
    /** The live holder of the folder's lock. */
    public readonly holder: { readonly pid: number; readonly consumers: readonly string[] },
  ) {
    super(message);
  }
}

/** `--reset` was refused: the folder is not recognisably the runner's state, or it holds the current folder. */
export class StateDirResetError extends LocalRunnerError {
  public override readonly exitCode = 2;
}

/** A checkpoint or failure file is unreadable. */
export class StateFileError extends LocalRunnerError {}

/** Records could not be re-read from the stream (past retention, unknown shard or stream). */
export class RecordsUnavailableError extends LocalRunnerError {}

/** A redrive source (file, SQS queue, S3 prefix) or target cannot be used. */
export class RedriveError extends LocalRunnerError {}
