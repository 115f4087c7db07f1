/**
 * The local stand-in for the consumer's on-failure destination: `<stateDir>/failures/<consumer>.jsonl`, one
 * message per line in exactly the shape AWS delivers (the SQS body / SNS Message; for an S3 destination the object
 * content, whose `payload` is the event as a JSON string). Redrive reads this file, and the files of earlier versions,
 whose `payload` was the event object.
 */
import { join } from 'path';
import { appendLinesDurably } from './durable-file';
import type { FailureDelivery } from '../../emulator/types';

export function failureFilePath(stateDir: string, consumer: string): string {
  return join(stateDir, 'failures', `${consumer}.jsonl`);
}

export class FailureFile {
  public delivered = 0;

  constructor(public readonly path: string) {}

  /** Appended and fsynced before the shard moves on, so a discarded batch is never lost by a crash. */
  public write(delivery: FailureDelivery): void {
    appendLinesDurably(this.path, [delivery.body]);
    this.delivered++;
  }
}
