import type { FailureDestinationName, TableConfig } from '../config';
import type { Clock } from './clock';
import type { DynamoDBStreamRecord, TumblingWindowEventFields } from '../records/types';

/** The event a handler receives: `Records`, plus the tumbling-window members when a window is configured. */
export interface EmulatedEvent extends Partial<TumblingWindowEventFields> {
  readonly Records: readonly DynamoDBStreamRecord[];
}

/** A Lambda-like context; `emulator` carries what a real context cannot (virtual time, lane, attempt). */
export interface EmulatedContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly callbackWaitsForEmptyEventLoop: boolean;
  readonly emulator: {
    /** Virtual (or wall) time of this invocation, epoch milliseconds. */
    readonly nowMs: number;
    readonly shardId: string;
    readonly lane: number;
    /** 1 for the first invocation of this batch; the destination's `approximateInvokeCount`. */
    readonly attempt: number;
  };
  getRemainingTimeInMillis(): number;
}

/** Any function shaped like a Lambda handler; a `DynamoDBStreamHandler` fits. */
export type StreamHandler = (event: EmulatedEvent, context: EmulatedContext) => unknown;

export type InvocationOutcome =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown };

/** How the mapping read the outcome. */
export type InvocationVerdict = 'success' | 'partial-failure' | 'failure';

export interface InvocationTrace {
  /** 0-based order of the invocation across the whole engine. */
  readonly index: number;
  readonly requestId: string;
  readonly shardId: string;
  readonly lane: number;
  readonly atMs: number;
  readonly attempt: number;
  readonly event: EmulatedEvent;
  readonly outcome: InvocationOutcome;
  readonly verdict: InvocationVerdict;
  /** Why the verdict is a failure (thrown error, malformed response), for humans. */
  readonly reason?: string;
}

/**
 * A tumbling window once its final invocation (`isFinalInvokeForWindow`) succeeded: its bounds and the state that
 * invocation received, which is what the window's invocations folded together.
 */
export interface WindowResult {
  readonly shardId: string;
  /** ISO 8601 seconds, inclusive, as the event's `window.start`. */
  readonly start: string;
  /** ISO 8601 seconds, exclusive, as the event's `window.end`. */
  readonly end: string;
  readonly state: Readonly<Record<string, unknown>>;
  /** The shard closed before the window's end (`isWindowTerminatedEarly`). */
  readonly terminatedEarly: boolean;
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The on-failure record in AWS's shape (SQS body, SNS `Message`, S3 object with `payload`). */
export interface OnFailureMessage {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: DiscardCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext?: {
    readonly statusCode: number;
    readonly executedVersion: string;
    /** "Unhandled" when the function threw; null when it returned, even a response Lambda could not use (AWS-recorded). */
    readonly functionError: 'Unhandled' | null;
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly DDBStreamBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
  /**
   * S3 destinations only: the invocation event of the discarded records, `{"Records":[...]}`, as a JSON string.
   * "the `payload` field contains the original invocation record as an escaped JSON string" (services-dynamodb-errors).
   */
  readonly payload?: string;
}

/** One discard: what was dropped and, unless the destination is NONE, what was delivered where. */
export interface FailureDelivery {
  readonly shardId: string;
  readonly destination: FailureDestinationName;
  readonly condition: DiscardCondition;
  readonly message: OnFailureMessage;
  /** The text AWS delivers: SQS message body, SNS `Message`, S3 object content. */
  readonly body: string;
  /** S3 only: `aws/lambda/<mapping-uuid>/<shardId>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`. */
  readonly s3Key?: string;
  /** The discarded records themselves (AWS only ships them to S3; kept here for assertions and redrive). */
  readonly records: readonly DynamoDBStreamRecord[];
}

/**
 * Counters named after the CloudWatch metrics they mirror, each as monitoring-metrics-types defines it (the whole
 * definitions are quoted in test/runtime/emulator/aws-documented/metrics.test.ts). Deliveries to a destination do
 * not fail in the emulator (an error thrown by `onFailure` stops it instead), so the page's rules for a failed
 * delivery never apply.
 */
export interface EmulatorMetrics {
  /** PolledEventCount: records read from the stream, once each (LATEST skips those before the mapping existed). */
  polledEvents: number;
  /** FilteredOutEventCount: records no filter matched. */
  filteredOutEvents: number;
  /** Invocations. */
  invocations: number;
  /** InvokedEventCount: records summed over invocations (retries count again). */
  invokedEvents: number;
  /** Errors (full and partial failures). */
  failedInvocations: number;
  /**
   * FailedInvokeEventCount: records of invocations that failed: the function threw, its response was a complete
   * failure, or (with ReportBatchItemFailures) it reported batch item failures; every record of that invocation.
   */
  failedInvokeEvents: number;
  /** DroppedEventCount: discarded by retry or age limits with no destination (NONE); not those sent to one. */
  droppedEvents: number;
  /** OnFailureDestinationDeliveredEventCount: discarded records sent to the SQS, SNS or S3 destination. */
  deliveredToDestinationEvents: number;
  /** Not a CloudWatch metric: records lost because they outlived the stream's retention while blocked. */
  trimmedEvents: number;
  /** IteratorAge of the last invocation, milliseconds. */
  iteratorAgeMs: number;
  /** Maximum IteratorAge seen. */
  maxIteratorAgeMs: number;
}

/** Choices where AWS is silent; each is a row of docs/emulator.md's "Choices where AWS is silent". */
export interface OpenPointChoices {
  /**
   * Include `responseContext` in a RecordAgeExceeded message for records never invoked.
   * @default false
   */
  readonly responseContextWithoutInvocation?: boolean;
}

/** One lane of a shard as a restart needs it (see window-resume.ts). */
export interface LaneResume {
  /** Every record of this lane up to this SequenceNumber is done: folded into `window`, into a closed window, or discarded. */
  readonly doneThrough?: string;
  /** The lane's open tumbling window. */
  readonly window?: {
    readonly startMs: number;
    readonly endMs: number;
    readonly state: unknown;
    /** The state went over 1 MB: the window's early final invocation comes first. */
    readonly overLimit?: boolean;
  };
}

/** A shard's tumbling windows as a restart needs them: one entry per parallelization lane, in lane order. */
export interface ShardResume {
  readonly lanes: readonly LaneResume[];
}

export interface EngineOptions extends OpenPointChoices {
  /** @default a new VirtualClock(0) */
  readonly clock?: Clock;
  /** Needed when parallelizationFactor > 1, to find each record's partition key. */
  readonly table?: TableConfig;
  /** @default `arn:aws:lambda:us-east-1:123456789012:function:<config.name>` */
  readonly functionArn?: string;
  /** Names the S3 destination keys. @default a fixed UUID */
  readonly mappingUuid?: string;
  /**
   * Delay before retry number `retry` (1-based), milliseconds. AWS does not document it.
   * @default 1 s doubling per retry, capped at 60 s
   */
  readonly retryBackoffMs?: (retry: number) => number;
  /** Virtual time each invocation takes. @default 0 */
  readonly invocationDurationMs?: number;
  /** Records older than this are trimmed from the stream. @default 24 */
  readonly streamRetentionHours?: number;
  /**
   * Lambda's synchronous payload limit, against which a batch's event JSON (UTF-8 bytes) is measured.
   * @default 6 MB = 6,291,456 bytes
   */
  readonly payloadLimitBytes?: number;
  /** With startingPosition LATEST, records created before this (epoch ms) are never read. @default none skipped */
  readonly mappingCreatedAtMs?: number;
  /** Throws {@link InvocationLimitError} past this many invocations. @default 1,000,000 */
  readonly maxInvocations?: number;
  /** Request ids; deterministic by default. */
  readonly requestIdGenerator?: () => string;
  readonly onInvocation?: (invocation: InvocationTrace) => void;
  /** Awaited, so a runner can write the message before the shard moves on. */
  readonly onFailure?: (failure: FailureDelivery) => void | Promise<void>;
  /** Awaited; called whenever the shard's checkpoint moves. */
  readonly onCheckpoint?: (shardId: string, sequenceNumber: string) => void | Promise<void>;
  /**
   * Tumbling windows only: open windows saved by an earlier run of this mapping, per shard ({@link onWindows}). Their
   * states carry on, and records of a lane at or below its `doneThrough` are not handed over again.
   */
  readonly resume?: Readonly<Record<string, ShardResume>>;
  /**
   * Tumbling windows only: the shard's windows after a step changed them. Called synchronously, in the same step as
   * the {@link onCheckpoint} that follows, so a runner that saves both never saves a checkpoint ahead of the windows.
   */
  readonly onWindows?: (shardId: string, windows: ShardResume) => void;
}

export interface ProcessShardOptions {
  /** The parent must have been ended first (lineage). */
  readonly parentShardId?: string;
  /** The input for this shard is complete: flush partial batches and close tumbling windows. */
  readonly end?: boolean;
  /** With `end`: the shard was closed by a split, so an open tumbling window terminates early. */
  readonly closed?: boolean;
}
