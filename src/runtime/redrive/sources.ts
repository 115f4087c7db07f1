/**
 * Where failure messages come from: the local runner's JSON-lines file, an SQS queue (the SQS destination, or an
 * SNS topic's SQS subscription; see sqs-source.ts), or an S3 bucket and prefix (the S3 destination; s3-source.ts).
 *
 * A source hands out its messages a page at a time; redrive works a page through before it asks for the next, so
 * a queue is never drained into memory ahead of the work. A message that cannot be read as an on-failure record is
 * reported and skipped, left where it is: it is not ours to delete, and the rest of the run goes on.
 */
import { existsSync, readFileSync } from 'fs';
import { Ledger } from './ledger';
import { messageId, parseFailureMessage, type PendingMessage } from './messages';
import { LocalRunnerError, RedriveError } from '../errors';
import { parseJsonLines } from '../local/state/durable-file';

/** A message that is not an on-failure record of a DynamoDB stream. */
export interface UnreadableMessage {
  /** Where it is (`file:line`, SQS message id, S3 key). */
  readonly origin: string;
  readonly reason: string;
}

export interface SourcePage {
  readonly pending: readonly PendingMessage[];
  /** Messages an earlier run (or this one) already redrove: skipped (an SQS one is deleted now). */
  readonly alreadyDone: number;
  readonly unreadable: readonly UnreadableMessage[];
}

export interface FailureSource {
  readonly description: string;
  /** The messages, a page at a time: the next page is read once redrive has worked through the previous one. */
  pages(): AsyncIterable<SourcePage>;
  /** After the run: gives back what is still pending (an SQS message becomes visible again at once). */
  close?(): Promise<void>;
}

/** Reads a message's text, or says why it is not an on-failure record. */
export function readMessage(text: string, origin: string): { message: ReturnType<typeof parseFailureMessage> } | { unreadable: UnreadableMessage } {
  try {
    return { message: parseFailureMessage(text, origin) };
  } catch (error) {
    if (!(error instanceof LocalRunnerError)) throw error;
    return { unreadable: { origin, reason: error.message } };
  }
}

/** The local failure file, in pages of `pageSize` lines; done ids go to `<file>.redriven`. */
export function fileSource(path: string, now: () => Date = () => new Date(), pageSize = 100): FailureSource {
  return {
    description: path,
    pages: async function* () {
      if (!existsSync(path)) {
        throw new RedriveError(`--from ${path}: the failure file does not exist: run the local runner first, or pass the file it wrote (<state-dir>/failures/<consumer>.jsonl)`);
      }
      const ledger = new Ledger(`${path}.redriven`);
      const lines = readFileSync(path, 'utf8').split('\n');
      let page = emptyPage();
      for (const [i, line] of lines.entries()) {
        if (line.trim() === '') continue;
        // A torn last line is what a crash during an append leaves; it holds no complete message.
        if (i === lines.length - 1 && parseJsonLines(line).tornLastLine) continue;
        const read = readMessage(line, `${path}:${i + 1}`);
        if ('unreadable' in read) {
          page.unreadable.push(read.unreadable);
        } else {
          const id = messageId(read.message);
          if (ledger.has(id)) page.alreadyDone++;
          else page.pending.push({ id, origin: `${path}:${i + 1}`, message: read.message, markDone: async () => (ledger.add(id, now()), 'done') });
        }
        if (page.pending.length >= pageSize) {
          yield page;
          page = emptyPage();
        }
      }
      yield page;
    },
  };
}

export function emptyPage(): { pending: PendingMessage[]; alreadyDone: number; unreadable: UnreadableMessage[] } {
  return { pending: [], alreadyDone: 0, unreadable: [] };
}
