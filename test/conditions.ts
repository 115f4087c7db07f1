/**
 * Waiting for conditions, not clocks: a test waits for the event it needs (a gate its handler opens, a line, a file,
 * a counter) and no longer, and a wait that never ends fails with an error naming what it waited for instead of
 * running into jest's timeout.
 */

export interface WaitOptions {
  /** What is waited for, in words: the error on timeout says "timed out after N ms waiting for <what>". */
  readonly what: string;
  /** @default 10_000 */
  readonly timeoutMs?: number;
  /** Between two checks of the condition. @default 20 */
  readonly everyMs?: number;
  /** More to say on timeout (the output seen so far, the last value, ...). */
  readonly detail?: () => string;
}

export class WaitTimeoutError extends Error {
  constructor(options: WaitOptions, timeoutMs: number) {
    const detail = options.detail?.();
    super(`timed out after ${timeoutMs} ms waiting for ${options.what}${detail ? `:\n${detail}` : ''}`);
    this.name = 'WaitTimeoutError';
  }
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Checks `condition` at once and then every `everyMs` until it returns (or resolves to) a truthy value, which it
 * returns; throws a {@link WaitTimeoutError} after `timeoutMs`. An exception from the condition ends the wait.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (Date.now() >= until) throw new WaitTimeoutError(options, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.everyMs ?? 20, Math.max(1, until - Date.now()))));
  }
}

/** A promise opened by hand: a handler opens it when its event happens, or waits for the test to open it. */
export class Gate {
  public readonly opened: Promise<void>;
  private resolve!: () => void;
  private isOpen = false;

  constructor() {
    this.opened = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  public get isOpened(): boolean {
    return this.isOpen;
  }

  public open(): void {
    this.isOpen = true;
    this.resolve();
  }

  /** {@link opened}, or a {@link WaitTimeoutError} naming `what` if it is not opened within `timeoutMs`. */
  public async wait(options: Omit<WaitOptions, 'everyMs'>): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WaitTimeoutError(options, timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([this.opened, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * One turn of the event loop (setImmediate): by then every promise reaction already queued, and every one those
 * queue in turn, has run. No clock: it orders work made only of promises whatever the machine's speed.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
