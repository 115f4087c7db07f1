/**
 * An S3 bucket and prefix as a redrive source (the S3 destination): one page per ListObjectsV2 page. Objects are
 * left in place (the bucket is the user's record of failures); done ids go to `<stateDir>/redriven/s3.jsonl`.
 */
import { join } from 'path';
import { Ledger } from './ledger';
import { messageId } from './messages';
import { optionalModule } from './optional-module';
import { emptyPage, type FailureSource, readMessage } from './sources';
import { RedriveError } from '../errors';

export interface S3SourceOptions {
  /** @default '.local' */
  readonly stateDir?: string;
  /** Objects per ListObjectsV2 page (1..1000). @default 100 */
  readonly pageSize?: number;
  /** For the S3Client (region, endpoint, forcePathStyle, credentials). @default the default chain */
  readonly clientConfig?: object;
  readonly now?: () => Date;
}

interface S3Module {
  S3Client: new (config: object) => { send(command: unknown): Promise<any>; destroy(): void };
  ListObjectsV2Command: new (input: object) => unknown;
  GetObjectCommand: new (input: object) => unknown;
}

/** `s3://bucket/prefix`. */
export function s3Source(url: string, options: S3SourceOptions = {}): FailureSource {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match) throw new RedriveError(`--s3 ${url} is not an s3://bucket/prefix URL: pass e.g. s3://my-failures/aws/lambda/`);
  const [, bucket, prefix] = match;
  const now = options.now ?? (() => new Date());
  let client: InstanceType<S3Module['S3Client']> | undefined;
  return {
    description: url,
    pages: async function* () {
      const s3 = optionalModule<S3Module>('@aws-sdk/client-s3', '--s3');
      client = new s3.S3Client(options.clientConfig ?? {});
      const ledger = new Ledger(join(options.stateDir ?? '.local', 'redriven', 's3.jsonl'));
      let token: string | undefined;
      do {
        const list = { Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: options.pageSize ?? 100 };
        let out: { Contents?: { Key: string }[]; NextContinuationToken?: string };
        try {
          out = await client.send(new s3.ListObjectsV2Command(list));
        } catch (error) {
          // The listing is the whole source: without it there is nothing to go on with.
          throw new RedriveError(`--s3 ${url}: S3 ListObjectsV2 failed (${describeSdkError(error)}): check the bucket name, the region and credentials, and the permission s3:ListBucket`, { cause: error });
        }
        const page = emptyPage();
        for (const object of out.Contents ?? []) {
          const origin = `s3://${bucket}/${object.Key}`;
          let text: string;
          try {
            const body = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: object.Key }));
            text = await body.Body.transformToString();
          } catch (error) {
            // One object (deleted since the listing, encrypted with a key we may not use): the others still read.
            page.unreadable.push({ origin, reason: `${origin}: S3 GetObject failed (${describeSdkError(error)}): check the permission s3:GetObject on the object (and kms:Decrypt for a KMS key)` });
            continue;
          }
          const read = readMessage(text, origin);
          if ('unreadable' in read) {
            page.unreadable.push(read.unreadable);
            continue;
          }
          const id = messageId(read.message);
          if (ledger.has(id)) page.alreadyDone++;
          else page.pending.push({ id, origin, message: read.message, markDone: async () => (ledger.add(id, now()), 'done') });
        }
        yield page;
        token = out.NextContinuationToken;
      } while (token);
    },
    close: async () => client?.destroy(),
  };
}

function describeSdkError(error: unknown): string {
  const e = error as Error;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
