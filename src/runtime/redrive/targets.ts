/**
 * What a redriven batch is sent to: the local handler module, or the deployed function (through
 * `@aws-sdk/client-lambda`, when installed, with the default credential chain and endpoint settings; tested against a
 * local endpoint that speaks Lambda's Invoke API). Either way the outcome is read as the event source mapping reads it.
 */
import type { ConsumerConfig } from '../config';
import { optionalModule } from './optional-module';
import { readResponse } from '../emulator/response';
import type { EmulatedContext, StreamHandler } from '../emulator/types';
import { withIdempotencySkips } from '../idempotency/skips';
import type { DynamoDBStreamRecord } from '../records/types';

export interface RedriveOutcome {
  readonly ok: boolean;
  /** Why not, for humans. */
  readonly reason?: string;
  /**
   * Sequence numbers of the records the handler's idempotency skipped as already completed: it never saw them. Known
   * for a local handler only; a deployed function's skips are in its logs.
   */
  readonly skipped?: readonly string[];
}

export interface RedriveTarget {
  readonly description: string;
  /** The consumer whose records are redriven. */
  readonly consumer: ConsumerConfig;
  /** A handler module run in this process (its idempotency store, if any, is local too). */
  readonly local: boolean;
  invoke(records: readonly DynamoDBStreamRecord[], requestId: string, shardId: string): Promise<RedriveOutcome>;
}

export function localTarget(handler: StreamHandler, consumer: ConsumerConfig, description: string): RedriveTarget {
  return {
    description,
    consumer,
    local: true,
    invoke: async (records, requestId, shardId) => {
      const context: EmulatedContext = {
        awsRequestId: requestId,
        functionName: consumer.name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:ddblocal:000000000000:function:${consumer.name}`,
        memoryLimitInMB: String(consumer.function.memorySize),
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis: () => consumer.function.timeoutSeconds * 1000,
        emulator: { nowMs: Date.now(), shardId, lane: 0, attempt: 1 },
      };
      let value: unknown;
      let skipped: readonly DynamoDBStreamRecord[] = [];
      try {
        ({ result: value, skipped } = await withIdempotencySkips(consumer.name, async () => handler({ Records: records }, context)));
      } catch (error) {
        return { ok: false, reason: `the handler threw: ${(error as Error)?.message ?? String(error)}` };
      }
      const outcome = judge(value, records, consumer);
      return skipped.length > 0 ? { ...outcome, skipped: skipped.map((r) => r.dynamodb.SequenceNumber) } : outcome;
    },
  };
}

interface LambdaModule {
  LambdaClient: new (config: object) => { send(command: unknown): Promise<{ FunctionError?: string; Payload?: Uint8Array }> };
  InvokeCommand: new (input: object) => unknown;
}

export function lambdaTarget(functionName: string, consumer: ConsumerConfig): RedriveTarget {
  return {
    description: `deployed function ${functionName}`,
    consumer,
    local: false,
    invoke: async (records) => {
      const lambda = optionalModule<LambdaModule>('@aws-sdk/client-lambda', '--target lambda');
      const client = new lambda.LambdaClient({});
      const payload = Buffer.from(JSON.stringify({ Records: records }));
      let out: { FunctionError?: string; Payload?: Uint8Array };
      try {
        out = await client.send(new lambda.InvokeCommand({ FunctionName: functionName, Payload: payload }));
      } catch (error) {
        // Lambda refused the call (no such function, throttled, not allowed): the function never saw the records,
        // so the message stays pending like any failed batch, with Lambda's own words.
        const e = error as Error;
        return { ok: false, reason: `Lambda did not invoke ${functionName}: ${e.name}: ${e.message}` };
      }
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      if (out.FunctionError) return { ok: false, reason: `the function failed (${out.FunctionError}): ${text.slice(0, 300)}` };
      let value: unknown = null;
      try {
        if (text !== '') value = JSON.parse(text);
      } catch {
        // A Node.js function's result always arrives as JSON; another runtime's need not. Lambda does not read it
        // without reportBatchItemFailures, and with it an unreadable response fails the batch (emulator/response.ts).
        if (!consumer.reportBatchItemFailures) return { ok: true };
        return { ok: false, reason: `the function returned ${JSON.stringify(text.slice(0, 100))}, not JSON, so its batch item failures cannot be read` };
      }
      return judge(value, records, consumer);
    },
  };
}

function judge(value: unknown, records: readonly DynamoDBStreamRecord[], consumer: ConsumerConfig): RedriveOutcome {
  const reading = readResponse(value, records, consumer.reportBatchItemFailures);
  if (reading.kind === 'success') return { ok: true };
  if (reading.kind === 'partial') return { ok: false, reason: `the handler reported batch item failures from ${JSON.stringify(value).slice(0, 200)}` };
  return { ok: false, reason: reading.reason };
}
