/**
 * A failing record is retried, and every attempt fails the same way: the local runner prints such an error once in
 * full (message and stack) and, on later attempts, a one-line note, so the log shows each failure once, not one
 * stack per retry. This covers both the runner's own line for a failed invocation and what the handler writes with
 * `console.error` while it runs (the generated contract logs the failing record with its error).
 */
import { format } from 'util';
import type { InvocationTrace, StreamHandler } from '../../emulator/types';

export class RepeatedErrors {
  private readonly seen = new Set<string>();
  private active = 0;
  private original: typeof console.error | undefined;

  /** @param log where the handler's `console.error` output goes while it runs (the runner's log, above its progress line) */
  constructor(private readonly log: (message: string) => void) {}

  /** The log line of an invocation that did not succeed: the error in full the first time, one line after that. */
  public invocationLine(inv: InvocationTrace): string {
    const head = `invocation ${inv.requestId} on ${inv.shardId} (attempt ${inv.attempt}, ${inv.event.Records.length} records): ${inv.verdict}`;
    const detail = inv.outcome.kind === 'threw' ? errorText(inv.outcome.error) : inv.reason;
    return detail === undefined ? head : `${head}: ${this.once(detail)}`;
  }

  /** The handler, with what it writes to `console.error` printed in full once, then as a one-line note. */
  public wrap(handler: StreamHandler): StreamHandler {
    return async (event, context) => {
      this.enter();
      try {
        return await handler(event, context);
      } finally {
        this.leave();
      }
    };
  }

  /** The text the first time it is seen; after that its first line and a note that it was printed before. */
  public once(text: string): string {
    if (!this.seen.has(text)) {
      this.seen.add(text);
      return text;
    }
    const short = oneLine(text);
    return short === text ? `${text} (again)` : `${short} (again; printed in full above)`;
  }

  // console.error is replaced while any invocation runs (lanes may overlap), and put back when none does.
  private enter(): void {
    if (this.active++ > 0) return;
    this.original = console.error;
    console.error = (...args: unknown[]) => this.log(this.once(format(...args)));
  }

  private leave(): void {
    if (--this.active > 0) return;
    console.error = this.original!;
    this.original = undefined;
  }
}

/** The text without its stack frames, on one line. */
function oneLine(text: string): string {
  const lines = text.split('\n').filter((line) => !/^\s+at /.test(line));
  const joined = lines.map((line) => line.trim()).join(' ');
  return joined.length > 240 ? `${joined.slice(0, 239)}…` : joined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `threw ${typeof error === 'string' ? error : format('%o', error)}`;
}
