/**
 * An SQS queue as a redrive source: the SQS destination, or an SNS topic's SQS subscription.
 *
 * - In pages: one ReceiveMessage (up to 10 messages) at a time, worked through before the next, so a long run
 *   never holds messages it is not about to work on.
 * - Held while waiting and while worked on: every message received and not yet finished has its visibility
 *   extended every third of the visibility timeout, so it does not reappear to another receiver (or to this run)
 *   halfway through.
 * - Deleted right after its success. A receipt handle is checked (ChangeMessageVisibility) before the delete: SQS
 *   answers a delete with a stale handle (the message was received again) with success but keeps the message, so
 *   the check is the only way to know. A stale one is reported, and noted in `<stateDir>/redriven/sqs.jsonl`: when
 *   it comes back (in this run or a later one) it is deleted without being redriven again.
 * - A message that reappears in this run is never redriven twice; a message that fails, or is not an on-failure
 *   record, stays hidden until the end of the run and is then made visible again at once (it stays pending).
 */
import { join } from 'path';
import { Ledger } from './ledger';
import { type MarkOutcome, messageId, type PendingMessage } from './messages';
import { optionalModule } from './optional-module';
import { emptyPage, type FailureSource, readMessage, type SourcePage } from './sources';
import { RedriveError, UsageError } from '../errors';

export interface SqsSourceOptions {
  /** Holds `redriven/sqs.jsonl`, the ids whose delete could not be done (stale receipt handle). @default '.local' */
  readonly stateDir?: string;
  /** How long a received message stays hidden (1..43200); extended while it waits or is worked on. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** How often visibility is extended. @default a third of visibilityTimeoutSeconds */
  readonly extendEverySeconds?: number;
  /** Messages per ReceiveMessage (1..10). @default 10 */
  readonly pageSize?: number;
  /** Long polling per ReceiveMessage; an empty answer ends the run. @default 1 */
  readonly waitTimeSeconds?: number;
  /** For the SQSClient (region, endpoint, credentials). @default the default chain */
  readonly clientConfig?: object;
  readonly now?: () => Date;
  /** Notices (stale handles, messages that came back). @default stderr */
  readonly log?: (line: string) => void;
}

interface SqsClientLike {
  send(command: unknown): Promise<any>;
  destroy(): void;
}

interface SqsModule {
  SQSClient: new (config: object) => SqsClientLike;
  ReceiveMessageCommand: new (input: object) => unknown;
  DeleteMessageCommand: new (input: object) => unknown;
  ChangeMessageVisibilityCommand: new (input: object) => unknown;
  ChangeMessageVisibilityBatchCommand: new (input: object) => unknown;
}

interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
}

/** What this run knows of an SQS message (by its SQS MessageId). */
interface Seen {
  handle: string;
  /** Hidden by this run until it finishes or the run ends. */
  held: boolean;
  /** Redriven in this run. */
  done: boolean;
  /** The on-failure message's id, when it is one. */
  readonly failureId?: string;
}

/** Error codes of a receipt handle that no longer names the message in flight (it was received again). */
const STALE = /MessageNotInflight|ReceiptHandleIsInvalid/;

export function sqsSource(queueUrl: string, options: SqsSourceOptions = {}): FailureSource {
  return new SqsSource(queueUrl, options);
}

class SqsSource implements FailureSource {
  public readonly description: string;
  private readonly visibility: number;
  private readonly pageSize: number;
  private readonly log: (line: string) => void;
  private readonly seen = new Map<string, Seen>();
  private readonly doneIds = new Set<string>();
  private sqs: SqsModule | undefined;
  private client: SqsClientLike | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queueUrl: string,
    private readonly options: SqsSourceOptions,
  ) {
    this.description = queueUrl;
    this.visibility = options.visibilityTimeoutSeconds ?? 60;
    this.pageSize = options.pageSize ?? 10;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    if (!(Number.isInteger(this.visibility) && this.visibility >= 1 && this.visibility <= 43_200)) {
      throw new UsageError(`SQS visibility timeout ${this.visibility} is not an integer between 1 and 43200 seconds: pass e.g. 60`);
    }
    if (!(Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 10)) {
      throw new UsageError(`SQS page size ${this.pageSize} is not an integer between 1 and 10 (ReceiveMessage's MaxNumberOfMessages): pass e.g. 10`);
    }
  }

  public async *pages(): AsyncIterable<SourcePage> {
    const ledger = new Ledger(join(this.options.stateDir ?? '.local', 'redriven', 'sqs.jsonl'));
    this.startExtending();
    for (;;) {
      const out = await this.send('ReceiveMessageCommand', {
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: this.pageSize,
        WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
        VisibilityTimeout: this.visibility,
      });
      const messages = (out.Messages ?? []) as ReceivedMessage[];
      if (messages.length === 0) return;
      const page = emptyPage();
      for (const m of messages) await this.admit(m, page, ledger);
      yield page;
    }
  }

  /** Sorts one received message into the page: pending, already done (deleted now), unreadable, or back again. */
  private async admit(m: ReceivedMessage, page: ReturnType<typeof emptyPage>, ledger: Ledger): Promise<void> {
    const origin = `sqs message ${m.MessageId}`;
    const known = this.seen.get(m.MessageId);
    if (known) {
      // It came back in this run: its handle went stale (extension failed or came too late).
      known.handle = m.ReceiptHandle;
      if (known.done) {
        await this.delete(m.ReceiptHandle);
        known.held = false;
        this.log(`${origin} came back after it was redriven (its receipt handle had gone stale): deleted now, not redriven again`);
        page.alreadyDone++;
      } else {
        known.held = true;
      }
      return;
    }
    const read = readMessage(m.Body, origin);
    if ('unreadable' in read) {
      this.seen.set(m.MessageId, { handle: m.ReceiptHandle, held: true, done: false });
      page.unreadable.push(read.unreadable);
      return;
    }
    const id = messageId(read.message);
    const seen: Seen = { handle: m.ReceiptHandle, held: true, done: false, failureId: id };
    this.seen.set(m.MessageId, seen);
    if (ledger.has(id) || this.doneIds.has(id)) {
      // Redriven before (a stale delete in an earlier run, or a duplicate delivery of the same failure).
      await this.delete(m.ReceiptHandle);
      seen.held = false;
      seen.done = true;
      page.alreadyDone++;
      return;
    }
    const markDone = async (): Promise<MarkOutcome> => {
      const outcome = await this.finish(seen);
      this.doneIds.add(id);
      if (outcome === 'stale') ledger.add(id, (this.options.now ?? (() => new Date()))());
      return outcome;
    };
    page.pending.push({ id, origin, message: read.message, markDone } satisfies PendingMessage);
  }

  /** Deletes a redriven message, unless its receipt handle went stale (then it is deleted when it comes back). */
  private async finish(seen: Seen): Promise<MarkOutcome> {
    seen.done = true;
    seen.held = false;
    try {
      await this.send('ChangeMessageVisibilityCommand', { QueueUrl: this.queueUrl, ReceiptHandle: seen.handle, VisibilityTimeout: this.visibility });
    } catch (error) {
      if (isStale(error)) return 'stale';
      throw error;
    }
    await this.delete(seen.handle);
    return 'done';
  }

  /** Makes what is still held (failed or unreadable messages) visible again at once, and stops extending. */
  public async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const held = [...this.seen.values()].filter((s) => s.held);
    for (const s of held) s.held = false;
    await this.changeVisibility(held, 0);
    this.client?.destroy();
  }

  private startExtending(): void {
    const everyMs = (this.options.extendEverySeconds ?? this.visibility / 3) * 1000;
    this.timer = setInterval(() => {
      const held = [...this.seen.values()].filter((s) => s.held);
      this.changeVisibility(held, this.visibility).catch((error: unknown) => this.log(`could not extend the visibility of ${held.length} SQS message(s): ${(error as Error).message}`));
    }, everyMs);
  }

  /** ChangeMessageVisibilityBatch, 10 at a time; a stale entry is noted (it comes back, and is then held again). */
  private async changeVisibility(entries: readonly Seen[], seconds: number): Promise<void> {
    for (let i = 0; i < entries.length; i += 10) {
      const chunk = entries.slice(i, i + 10);
      const out = await this.send('ChangeMessageVisibilityBatchCommand', {
        QueueUrl: this.queueUrl,
        Entries: chunk.map((s, j) => ({ Id: String(j), ReceiptHandle: s.handle, VisibilityTimeout: seconds })),
      });
      for (const failed of (out.Failed ?? []) as { Id: string; Code?: string }[]) {
        if (seconds > 0) this.log(`an SQS message's receipt handle went stale (${failed.Code ?? 'unknown'}): it may be received again; it will not be redriven twice`);
      }
    }
  }

  private async delete(handle: string): Promise<void> {
    await this.send('DeleteMessageCommand', { QueueUrl: this.queueUrl, ReceiptHandle: handle });
  }

  /**
   * One SQS call. What SQS or the SDK throws (the queue is gone, access denied, no credentials) becomes a
   * {@link RedriveError} naming the call and the queue: a ReceiveMessage that fails ends the run in one line, a
   * DeleteMessage that fails leaves its message in the queue and the run goes on (redrive.ts). The SDK's error stays
   * the `cause`, for the stale-handle check.
   */
  private async send(command: keyof Omit<SqsModule, 'SQSClient'>, input: object): Promise<any> {
    this.sqs ??= optionalModule<SqsModule>('@aws-sdk/client-sqs', '--sqs');
    this.client ??= new this.sqs.SQSClient(this.options.clientConfig ?? {});
    const request = new this.sqs[command](input);
    try {
      return await this.client.send(request);
    } catch (error) {
      const e = error as Error;
      throw new RedriveError(
        `--sqs ${this.queueUrl}: SQS ${command.replace(/Command$/, '')} failed (${e?.name ?? 'Error'}: ${e?.message ?? String(error)}): check the queue URL, the region and credentials, and the permission sqs:${command.replace(/(Batch)?Command$/, '')}`,
        { cause: error },
      );
    }
  }
}

function isStale(wrapped: unknown): boolean {
  const error = (wrapped as { cause?: unknown })?.cause ?? wrapped;
  const e = error as { name?: string; Code?: string; message?: string };
  return STALE.test(`${e?.name ?? ''} ${e?.Code ?? ''} ${e?.message ?? ''}`);
}
