/**
 * Where failure messages come from: the local runner's JSON-lines file, an SQS queue (the SQS destination, or an
 * SNS topic's SQS subscription), or an S3 bucket and prefix (the S3 destination).
 *
 * SQS and S3 use `@aws-sdk/client-sqs` / `@aws-sdk/client-s3` when installed, with the default credential chain.
 * They cannot be exercised without an AWS account, so they are kept small: list, parse, mark done.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Ledger } from './ledger';
import { messageId, parseFailureMessage, type PendingMessage } from './messages';
import { optionalModule } from './optional-module';
import { parseJsonLines } from '../local/durable-file';
import { RedriveError } from '../local/errors';

export interface FailureSource {
  readonly description: string;
  /** Pending messages, and how many were skipped because they were already redriven. */
  list(): Promise<{ pending: PendingMessage[]; alreadyDone: number }>;
}

/** The local failure file; done ids go to `<file>.redriven`. */
export function fileSource(path: string, now: () => Date = () => new Date()): FailureSource {
  return {
    description: path,
    list: async () => {
      if (!existsSync(path)) {
        throw new RedriveError(`--from ${path}: the failure file does not exist: run the local runner first, or pass the file it wrote (<state-dir>/failures/<consumer>.jsonl)`);
      }
      const ledger = new Ledger(`${path}.redriven`);
      const text = readFileSync(path, 'utf8');
      const lines = text.split('\n');
      const pending: PendingMessage[] = [];
      let alreadyDone = 0;
      lines.forEach((line, i) => {
        if (line.trim() === '') return;
        // A torn last line is what a crash during an append leaves; it holds no complete message.
        if (i === lines.length - 1 && parseJsonLines(line).tornLastLine) return;
        const origin = `${path}:${i + 1}`;
        const message = parseFailureMessage(line, origin);
        const id = messageId(message);
        if (ledger.has(id)) {
          alreadyDone++;
          return;
        }
        pending.push({ id, origin, message, markDone: async () => ledger.add(id, now()) });
      });
      return { pending, alreadyDone };
    },
  };
}

interface SqsModule {
  SQSClient: new (config: object) => { send(command: unknown): Promise<any> };
  ReceiveMessageCommand: new (input: object) => unknown;
  DeleteMessageCommand: new (input: object) => unknown;
}

/** An SQS queue; a redriven message is deleted. Messages stay invisible for 5 minutes while being redriven. */
export function sqsSource(queueUrl: string): FailureSource {
  return {
    description: queueUrl,
    list: async () => {
      const sqs = optionalModule<SqsModule>('@aws-sdk/client-sqs', '--sqs');
      const client = new sqs.SQSClient({});
      const pending: PendingMessage[] = [];
      for (;;) {
        const receive = { QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 };
        const out = await client.send(new sqs.ReceiveMessageCommand(receive));
        const messages = (out.Messages ?? []) as { MessageId: string; ReceiptHandle: string; Body: string }[];
        if (messages.length === 0) break;
        for (const m of messages) {
          const message = parseFailureMessage(m.Body, `sqs message ${m.MessageId}`);
          pending.push({
            id: messageId(message),
            origin: `sqs message ${m.MessageId}`,
            message,
            markDone: async () => {
              await client.send(new sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
            },
          });
        }
      }
      return { pending, alreadyDone: 0 };
    },
  };
}

interface S3Module {
  S3Client: new (config: object) => { send(command: unknown): Promise<any> };
  ListObjectsV2Command: new (input: object) => unknown;
  GetObjectCommand: new (input: object) => unknown;
}

/** `s3://bucket/prefix`; objects are left in place and done keys go to `<stateDir>/redriven/s3.jsonl`. */
export function s3Source(url: string, stateDir: string, now: () => Date = () => new Date()): FailureSource {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new RedriveError(`--s3 ${url} is not an s3://bucket/prefix URL: pass e.g. s3://my-failures/aws/lambda/`);
  const [, bucket, prefix] = match;
  return {
    description: url,
    list: async () => {
      const s3 = optionalModule<S3Module>('@aws-sdk/client-s3', '--s3');
      const client = new s3.S3Client({});
      const ledger = new Ledger(join(stateDir, 'redriven', 's3.jsonl'));
      const pending: PendingMessage[] = [];
      let alreadyDone = 0;
      let token: string | undefined;
      do {
        const out = await client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of (out.Contents ?? []) as { Key: string }[]) {
          const body = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: object.Key }));
          const origin = `s3://${bucket}/${object.Key}`;
          const message = parseFailureMessage(await body.Body.transformToString(), origin);
          const id = messageId(message);
          if (ledger.has(id)) {
            alreadyDone++;
            continue;
          }
          pending.push({ id, origin, message, markDone: async () => ledger.add(id, now()) });
        }
        token = out.NextContinuationToken;
      } while (token);
      return { pending, alreadyDone };
    },
  };
}
