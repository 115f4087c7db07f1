/**
 * The live progress line on stderr. On a terminal it is one line rewritten in place (`\r`); in CI logs and pipes,
 * where `\r` piles up, a plain line every few seconds.
 */
export interface ProgressFigures {
  readonly polled: number;
  readonly invoked: number;
  readonly failed: number;
  readonly filtered: number;
  readonly toDestination: number;
  readonly redelivered: number;
  readonly iteratorAgeMs: number;
}

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  readonly read: () => ProgressFigures;
  /** @default 200 on a terminal, 5000 otherwise */
  readonly everyMs?: number;
}

export function formatProgress(f: ProgressFigures): string {
  const age = f.iteratorAgeMs >= 10_000 ? `${Math.round(f.iteratorAgeMs / 1000)}s` : `${Math.round(f.iteratorAgeMs)}ms`;
  return `polled ${f.polled}  invoked ${f.invoked}  failed ${f.failed}  filtered ${f.filtered}  to-destination ${f.toDestination}  redelivered ${f.redelivered}  iterator-age ${age}`;
}

export class ProgressLine {
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private readonly tty: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.tty = options.stream.isTTY === true;
  }

  public start(): void {
    this.timer = setInterval(() => this.draw(), this.options.everyMs ?? (this.tty ? 200 : 5000));
    this.timer.unref();
  }

  /** Prints a message above the progress line without garbling it. */
  public log(message: string): void {
    if (this.tty && this.last !== '') this.options.stream.write('\r\x1b[K');
    this.options.stream.write(`${message}\n`);
    if (this.tty && this.last !== '') this.options.stream.write(this.last);
  }

  public stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const line = formatProgress(this.options.read());
    this.options.stream.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    this.last = '';
  }

  private draw(): void {
    const line = formatProgress(this.options.read());
    if (this.tty) {
      this.options.stream.write(`\r\x1b[K${line}`);
      this.last = line;
    } else if (line !== this.last) {
      this.options.stream.write(`${line}\n`);
      this.last = line;
    }
  }
}

/** What the local runner's last line says about a run; the fields of a `LocalRunSummary` it reads. */
export interface RunFigures {
  readonly reason: string;
  readonly metrics: {
    readonly polledEvents: number;
    readonly invokedEvents: number;
    readonly invocations: number;
    readonly failedInvokeEvents: number;
    readonly filteredOutEvents: number;
    readonly deliveredToDestinationEvents: number;
    readonly droppedEvents: number;
  };
  readonly redelivered: number;
  readonly redeliveredTotal: number;
  readonly failuresFile: string;
  readonly checkpointFile: string;
}

/**
 * The run in a sentence: `stopped (idle): read 7 records; the handler got 7 in 3 invocations; none failed, none
 * filtered out; checkpoints in .local/checkpoints/audit.json`. Counts that are zero and say nothing (redeliveries,
 * records sent to the failure file) are left out.
 */
export function formatRunSummary(s: RunFigures): string {
  const m = s.metrics;
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    `read ${count(m.polledEvents, 'record')}`,
    `the handler got ${m.invokedEvents} in ${count(m.invocations, 'invocation')}${m.invokedEvents > m.polledEvents ? ' (retries count again)' : ''}`,
    `${m.failedInvokeEvents === 0 ? 'none' : m.failedInvokeEvents} failed, ${m.filteredOutEvents === 0 ? 'none' : m.filteredOutEvents} filtered out`,
  ];
  if (m.deliveredToDestinationEvents > 0) parts.push(`${count(m.deliveredToDestinationEvents, 'record')} sent to ${s.failuresFile}`);
  // DroppedEventCount excludes records sent to a destination, so every dropped record is lost.
  if (m.droppedEvents > 0) parts.push(`${count(m.droppedEvents, 'record')} dropped (failureDestination NONE)`);
  if (s.redeliveredTotal > 0) {
    parts.push(`${s.redelivered} redelivered after the previous unclean stop (${s.redeliveredTotal} over all runs)`);
  }
  return `${STOPPED[s.reason] ?? `stopped (${s.reason})`}: ${parts.join('; ')}; checkpoints in ${s.checkpointFile}`;
}

/** How the run ended, in words: "stopped (stopped)" said nothing about a Ctrl-C. */
const STOPPED: Readonly<Record<string, string>> = {
  stopped: 'stopped on request',
  idle: 'stopped (idle)',
  error: 'stopped by an error',
};
