/**
 * The core's rules are generators that yield whatever they wait for (the handler's result, a callback's return)
 * instead of awaiting it, so that one set of rules can be driven two ways:
 * - {@link awaitSteps}: awaits each yielded value, as `await` would have; the engine and both schedulers.
 * - {@link runSteps}: hands each value straight back, with no promise anywhere. For a synchronous handler on the
 *   virtual clock ({@link emulateEventSourceMappingSync}): projen's synth is synchronous, and the README's picture of
 *   a poison record (src/runtime/explain) is the emulator run at synth time.
 */
import { InvalidEmulatorOptionError } from '../errors';

/** Rules that yield what they wait for and return `T`. */
export type Steps<T> = Generator<unknown, T, unknown>;

/** Drives the steps, awaiting each yielded value; a rejection is thrown back in where it was yielded. */
export async function awaitSteps<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(value);
  }
  return next.value;
}

/**
 * Drives the steps without waiting: every yielded value must already be the result. A promise (an async handler or
 * callback) cannot be waited for here, so it is refused, naming what returned it.
 */
export function runSteps<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    if (isThenable(next.value)) {
      // Nobody will await it: keep a rejection from surfacing as an unhandled one.
      next.value.then(undefined, () => undefined);
      throw new InvalidEmulatorOptionError(
        'the handler or a callback (onFailure, onCheckpoint) returned a promise, which the synchronous emulation cannot wait for: ' +
          'pass synchronous functions, or use emulateEventSourceMapping',
      );
    }
    next = steps.next(next.value);
  }
  return next.value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
