/**
 * Redrive from SQS, SNS-to-SQS and S3 against a real protocol server (fauxqs on 127.0.0.1), with on-failure
 * messages written by the local runner on a real DynamoDB Local, whose stream redrive re-reads.
 *
 * SQS behaviour relied on (AWS, "Amazon SQS visibility timeout", SQS Developer Guide): "Immediately after a message
 * is received, it remains in the queue. To prevent other consumers from processing the message again, Amazon SQS
 * sets a visibility timeout"; and ("DeleteMessage", SQS API Reference) "The ReceiptHandle is associated with a
 * specific instance of receiving a message. If you receive a message more than once, the ReceiptHandle is different
 * each time you receive a message. When you use the DeleteMessage action, you must provide the most recently
 * received ReceiptHandle for the message (otherwise, the request succeeds, but the message will not be deleted)."
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { type Fauxqs, FAUXQS_SKIP_REASON, FAUXQS_SUPPORTED, startFauxqs } from './fauxqs';
import type { EmulatedEvent } from '../../../src/runtime/emulator/types';
import { type DynamoDbLocal, freePort, localClients, startDynamoDbLocal, startLocalRunner } from '../../../src/runtime/local';
import type { DynamoDBStreamRecord } from '../../../src/runtime/records/types';
import { redrive, RedriveError, s3Source, sqsSource, localTarget, type RedriveReport } from '../../../src/runtime/redrive';
import { waitFor } from '../../conditions';
import { consumerConfig, tableConfig } from '../local/fixtures/app-config';
import { tempDir, writeVersions } from '../local/helpers';

jest.setTimeout(180_000);

const consumer = consumerConfig({ batchSize: 1, retryAttempts: 0, bisectBatchOnError: false });

if (!FAUXQS_SUPPORTED) {
  test.skip(FAUXQS_SKIP_REASON, () => undefined);
  process.stdout.write(`${FAUXQS_SKIP_REASON}: test/runtime/redrive/redrive-sources.fauxqs.test.ts\n`);
}

(FAUXQS_SUPPORTED ? describe : describe.skip)('redrive against fauxqs (SQS, SNS, S3) and DynamoDB Local', () => {
  let fauxqs: Fauxqs;
  let ddb: DynamoDbLocal;
  let stateDir: string;
  /** 25 on-failure messages (SQS shape: no payload), one per record, as the runner wrote them. */
  let bodies: string[];
  /** The records those messages name, by sequence number (for S3 payloads). */
  const recordsBySeq = new Map<string, DynamoDBStreamRecord>();
  let sqs: SQSClient;

  beforeAll(async () => {
    // A real failure file: every record fails once (retryAttempts 0, batch size 1) and goes to the destination.
    stateDir = tempDir('redrive-fauxqs');
    [fauxqs, ddb] = await Promise.all([startFauxqs(), freePort().then((port) => startDynamoDbLocal({ dbPath: join(stateDir, 'ddb'), port }))]);
    sqs = new SQSClient(fauxqs.clientConfig);
    const runner = await startLocalRunner({
      app: { table: tableConfig, consumers: [consumer] },
      handler: (event: EmulatedEvent) => {
        for (const r of event.Records) recordsBySeq.set(r.dynamodb.SequenceNumber, r);
        throw new Error('poison');
      },
      stateDir,
      endpoint: ddb.endpoint,
      progress: false,
      log: () => undefined,
    });
    const clients = localClients(ddb.endpoint);
    await writeVersions(clients.dynamodb, runner.tableName, 25, 1);
    clients.destroy();
    await waitFor(() => runner.metrics.deliveredToDestinationEvents >= 25, {
      what: 'the runner to send all 25 records to the failure destination',
      timeoutMs: 120_000,
      everyMs: 100,
      detail: () => JSON.stringify(runner.metrics),
    });
    const summary = await runner.stop();
    bodies = readFileSync(summary.failuresFile, 'utf8').trim().split('\n');
    expect(bodies).toHaveLength(25);
  });

  afterAll(async () => {
    sqs?.destroy();
    await Promise.all([fauxqs?.stop(), ddb?.stop()]);
  });

  async function queue(name: string): Promise<string> {
    return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }

  async function counts(queueUrl: string): Promise<{ visible: number; hidden: number }> {
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(out.Attributes!.ApproximateNumberOfMessages), hidden: Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible) };
  }

  /** A handler that counts what it sees per sequence number, and fails for the ones in `failing`. */
  function countingHandler(options: { failing?: ReadonlySet<string>; delayMs?: number; during?: () => Promise<void> } = {}) {
    const seen = new Map<string, number>();
    const handler = async (event: EmulatedEvent) => {
      await options.during?.();
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      for (const r of event.Records) seen.set(r.dynamodb.SequenceNumber, (seen.get(r.dynamodb.SequenceNumber) ?? 0) + 1);
      if (event.Records.some((r) => options.failing?.has(r.dynamodb.SequenceNumber))) throw new Error('still broken');
    };
    return { seen, handler };
  }

  function seqOf(body: string): string {
    return JSON.parse(body).DDBStreamBatchInfo.startSequenceNumber;
  }

  test('SQS in pages: each message redriven once and deleted right after its success; unparsable ones skipped; failures stay pending', async () => {
    // GIVEN 25 on-failure messages and 2 that are not, more than one ReceiveMessage returns (10)
    const queueUrl = await queue('paging');
    const sent = [...bodies.slice(0, 12), 'not json at all', ...bodies.slice(12), '{"hello":"not an on-failure record"}'];
    for (const body of sent) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const failing = new Set([seqOf(bodies[5])]);
    // AND a visibility timeout (2 s) shorter than a page's work (10 x 300 ms): without extension, messages waiting
    // in a page would reappear, and be redriven twice
    let successes = 0;
    const leftWhenInvoked: number[] = [];
    const { seen, handler } = countingHandler({
      failing,
      delayMs: 300,
      during: async () => {
        const c = await counts(queueUrl);
        leftWhenInvoked.push(c.visible + c.hidden);
      },
    });
    const logs: string[] = [];

    // WHEN redrive runs from the queue
    const report: RedriveReport = await redrive({
      source: sqsSource(queueUrl, { stateDir: tempDir('sqs-state'), visibilityTimeoutSeconds: 2, clientConfig: fauxqs.clientConfig, log: (l) => logs.push(l) }),
      target: {
        ...localTarget(handler, consumer, 'test handler'),
        invoke: async (...args) => {
          const outcome = await localTarget(handler, consumer, 'test handler').invoke(...args);
          if (outcome.ok) successes++;
          return outcome;
        },
      },
      consumer,
      endpoint: ddb.endpoint,
      log: (l) => logs.push(l),
    });
    process.stdout.write(`SQS paging: ${JSON.stringify({ pages: report.pages, redriven: report.redriven, failed: report.failed, unreadable: report.unreadable, stale: report.stale })}\n`);

    // THEN every on-failure message was redriven exactly once, in 3+ pages
    expect(report.pages).toBeGreaterThanOrEqual(3);
    expect(report).toMatchObject({ redriven: 24, failed: 1, unreadable: 2, stale: 0 });
    expect([...seen.keys()].sort()).toEqual(bodies.map(seqOf).sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // AND each success was deleted before the next message was worked on (the queue shrank by one per success)
    expect(leftWhenInvoked).toHaveLength(25);
    let expectedLeft = sent.length;
    for (const [i, left] of leftWhenInvoked.entries()) {
      expect({ invocation: i, left }).toEqual({ invocation: i, left: expectedLeft });
      if (i !== 5) expectedLeft--;
    }
    // AND the unparsable ones were reported in one line each and left in the queue, as was the failing one
    expect(logs.filter((l) => l.startsWith('skipped sqs message'))).toHaveLength(2);
    expect(logs.find((l) => /skipped sqs message .*: not JSON/.test(l))).toBeDefined();
    expect(logs.find((l) => /skipped sqs message .*: not an on-failure message of a DynamoDB stream/.test(l))).toBeDefined();
    // AND what stays pending is visible again at once, received only once before (never redelivered mid-run)
    expect(await counts(queueUrl)).toEqual({ visible: 3, hidden: 0 });
    const rest = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(rest.Messages!.map((m) => m.Body).sort()).toEqual([bodies[5], 'not json at all', '{"hello":"not an on-failure record"}'].sort());
    expect(rest.Messages!.map((m) => m.Attributes!.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
  });

  test('a stale receipt handle is detected; the message, back in the queue, is deleted and not redriven twice', async () => {
    // GIVEN one message, and a redrive whose visibility extension comes too late (as when the process is paused)
    const queueUrl = await queue('stale');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodies[0] }));
    const competitor = new SQSClient(fauxqs.clientConfig);
    // AND while the handler works, the visibility runs out and another receiver receives the message (then gives
    // it back), so the handle redrive holds is stale
    const { seen, handler } = countingHandler({
      during: async () => {
        // The visibility timeout (1 s) running out on the server's clock is the scenario: the competitor receives the
        // message as soon as it is visible again, not after a guessed pause.
        const message = await waitFor(
          async () => (await competitor.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 }))).Messages?.[0],
          { what: 'the message to be visible again to another receiver (visibility timeout 1 s)', timeoutMs: 15_000, everyMs: 100 },
        );
        const giveBack = { QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 };
        await competitor.send(new ChangeMessageVisibilityCommand(giveBack));
      },
    });
    const logs: string[] = [];
    const state = tempDir('stale-state');
    const source = () =>
      sqsSource(queueUrl, {
        stateDir: state,
        visibilityTimeoutSeconds: 1,
        extendEverySeconds: 60,
        clientConfig: fauxqs.clientConfig,
        log: (l) => logs.push(l),
      });

    // WHEN redrive runs
    const report = await redrive({ source: source(), target: localTarget(handler, consumer, 'test handler'), consumer, endpoint: ddb.endpoint, log: (l) => logs.push(l) });
    competitor.destroy();

    // THEN the stale handle was detected and said, the message was redriven once, and deleted when it came back
    process.stdout.write(`${logs.filter((l) => /stale|came back/.test(l)).join('\n')}\n`);
    expect(report).toMatchObject({ redriven: 1, stale: 1, failed: 0 });
    expect(logs.some((l) => /^redriven 1 record\(s\) .* but its SQS receipt handle had gone stale: deleted when it comes back, not redriven again$/.test(l))).toBe(true);
    expect(logs.some((l) => /came back after it was redriven \(its receipt handle had gone stale\): deleted now, not redriven again/.test(l))).toBe(true);
    expect([...seen.values()]).toEqual([1]);
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });

    // WHEN the same failure message arrives again later (a stale delete of an earlier run left it)
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodies[0] }));
    const again = await redrive({ source: source(), target: localTarget(handler, consumer, 'test handler'), consumer, endpoint: ddb.endpoint, log: () => undefined });
    // THEN it is deleted without being redriven again
    expect(again).toMatchObject({ redriven: 0, alreadyDone: 1 });
    expect([...seen.values()]).toEqual([1]);
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });
  });

  test('SNS to SQS: notifications wrapping on-failure messages are redriven and deleted', async () => {
    // GIVEN an SNS destination topic with an SQS subscription (not raw: the queue gets SNS notifications)
    const sns = new SNSClient(fauxqs.clientConfig);
    const queueUrl = await queue('sns-subscriber');
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'failures' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
    for (const body of bodies.slice(0, 3)) await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body }));
    sns.destroy();
    const peek = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    expect(JSON.parse(peek.Messages![0].Body!)).toMatchObject({ Type: 'Notification', TopicArn: topicArn });

    // WHEN redrive reads the subscription's queue
    const { seen, handler } = countingHandler();
    const report = await redrive({
      source: sqsSource(queueUrl, { stateDir: tempDir('sns-state'), clientConfig: fauxqs.clientConfig }),
      target: localTarget(handler, consumer, 'test handler'),
      consumer,
      endpoint: ddb.endpoint,
      log: () => undefined,
    });

    // THEN each was redriven once and deleted
    expect(report).toMatchObject({ redriven: 3, failed: 0, unreadable: 0 });
    expect([...seen.keys()].sort()).toEqual(bodies.slice(0, 3).map(seqOf).sort());
    expect(await counts(queueUrl)).toEqual({ visible: 0, hidden: 0 });
  });

  test('S3 in pages: payload objects redriven once, an unreadable object skipped, a second run redrives nothing', async () => {
    // GIVEN an S3 destination bucket with 3 on-failure objects (with payload, as S3 destinations carry) and one other
    const s3 = new S3Client(fauxqs.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'failures' }));
    const objects = bodies.slice(0, 3).map((body) => {
      const message = JSON.parse(body);
      // As AWS writes it: the event as an escaped JSON string (services-dynamodb-errors).
      return { ...message, payload: JSON.stringify({ Records: [recordsBySeq.get(message.DDBStreamBatchInfo.startSequenceNumber)] }) };
    });
    for (const [i, object] of objects.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: 'failures', Key: `aws/lambda/audit/${i}.json`, Body: JSON.stringify(object) }));
    }
    await s3.send(new PutObjectCommand({ Bucket: 'failures', Key: 'aws/lambda/audit/readme.txt', Body: 'hello' }));
    s3.destroy();
    const state = tempDir('s3-state');
    const { seen, handler } = countingHandler();
    const logs: string[] = [];
    // WHEN redrive reads the prefix, two objects per page; no stream is needed (the payload has the records)
    const run = () =>
      redrive({
        source: s3Source('s3://failures/aws/lambda/audit/', { stateDir: state, pageSize: 2, clientConfig: fauxqs.clientConfig }),
        target: localTarget(handler, consumer, 'test handler'),
        consumer,
        stateDir: tempDir('no-local-stream'),
        log: (l) => logs.push(l),
      });
    const first = await run();
    // THEN the three were redriven once each, in two pages, and the unreadable object was reported and skipped
    expect(first).toMatchObject({ redriven: 3, unreadable: 1, failed: 0, pages: 2 });
    expect([...seen.values()]).toEqual([1, 1, 1]);
    expect(logs.some((l) => /^skipped s3:\/\/failures\/aws\/lambda\/audit\/readme\.txt: not JSON/.test(l))).toBe(true);
    // AND a second run finds them done
    const second = await run();
    expect(second).toMatchObject({ redriven: 0, alreadyDone: 3, unreadable: 1 });
    expect([...seen.values()]).toEqual([1, 1, 1]);
  });

  test('a tumbling-window consumer is refused up front: no message is received or changed', async () => {
    const queueUrl = await queue('window');
    for (const body of bodies.slice(0, 2)) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const windowed = consumerConfig({ tumblingWindowSeconds: 60 });
    const { seen, handler } = countingHandler();
    await expect(
      redrive({ source: sqsSource(queueUrl, { stateDir: tempDir('w'), clientConfig: fauxqs.clientConfig }), target: localTarget(handler, windowed, 'h'), consumer: windowed, endpoint: ddb.endpoint }),
    ).rejects.toThrow(RedriveError);
    expect(seen.size).toBe(0);
    expect(await counts(queueUrl)).toEqual({ visible: 2, hidden: 0 });
  });
});
