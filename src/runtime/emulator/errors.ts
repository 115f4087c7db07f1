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
