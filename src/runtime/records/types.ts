/**
 * DynamoDB stream records exactly as Lambda's event source mapping delivers them to a function.
 *
 * These are our own types rather than `@types/aws-lambda` so that the runtime kit carries no type dependency. They
 * are stricter than `@types/aws-lambda` (Lambda always sets these fields) and assignable to its `DynamoDBRecord`.
 * The DynamoDB Streams API (SDK v3) returns a different shape: `Date` for `ApproximateCreationDateTime`,
 * `Uint8Array` for binary values, PascalCase `userIdentity` and no `eventSourceARN`; see `convert*.ts`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
import type { StreamViewTypeName } from '../config';

type Exclusive<T, K extends keyof T> = { readonly [P in K]: T[P] } & { readonly [P in Exclude<keyof T, K>]?: never };
interface AttributeValueMembers {
  S: string;
  /** Numbers travel as strings so that no precision is lost. */
  N: string;
  /** Base64 in the Lambda event. */
  B: string;
  BOOL: boolean;
  NULL: true;
  SS: readonly string[];
  NS: readonly string[];
  BS: readonly string[];
  L: readonly AttributeValue[];
  M: AttributeMap;
}

/** One DynamoDB JSON value: exactly one type descriptor key. */
export type AttributeValue = { [K in keyof AttributeValueMembers]: Exclusive<AttributeValueMembers, K> }[keyof AttributeValueMembers];

export type AttributeMap = { readonly [name: string]: AttributeValue };

export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** The `dynamodb` member of a record. */
export interface StreamRecordData {
  /** Epoch seconds (a number, not a Date as in the Streams API). */
  readonly ApproximateCreationDateTime: number;
  readonly Keys: AttributeMap;
  readonly NewImage?: AttributeMap;
  readonly OldImage?: AttributeMap;
  /** A decimal string of up to 40 digits; compare with {@link compareSequenceNumbers}, not `<`. */
  readonly SequenceNumber: string;
  readonly SizeBytes: number;
  readonly StreamViewType: StreamViewTypeName;
}

/** Present only on deletions made by DynamoDB's Time to Live process. */
export interface TtlUserIdentity {
  readonly type: 'Service';
  readonly principalId: 'dynamodb.amazonaws.com';
}

export interface DynamoDBStreamRecord {
  readonly eventID: string;
  readonly eventName: StreamEventName;
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: StreamRecordData;
  readonly eventSourceARN: string;
  readonly userIdentity?: TtlUserIdentity;
}

/** The tumbling-window members Lambda adds to the event when `TumblingWindowInSeconds` is set. */
export interface TumblingWindowEventFields<State = Record<string, unknown>> {
  readonly window: { readonly start: string; readonly end: string };
  readonly state: State;
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

export interface DynamoDBStreamEvent {
  readonly Records: readonly DynamoDBStreamRecord[];
}

export type DynamoDBStreamWindowEvent<State = Record<string, unknown>> = DynamoDBStreamEvent & TumblingWindowEventFields<State>;

export interface BatchItemFailure {
  readonly itemIdentifier: string;
}

/** What a function returns to report partial batch failures (`ReportBatchItemFailures`). */
export interface DynamoDBBatchResponse {
  readonly batchItemFailures: readonly BatchItemFailure[];
}

/** What a tumbling-window function returns: the state to carry into the next invocation of the window. */
export interface DynamoDBWindowResponse<State = Record<string, unknown>> {
  readonly state: State;
  readonly batchItemFailures?: readonly BatchItemFailure[];
}

/**
 * Orders two stream sequence numbers. They are decimal strings longer than a double can hold exactly, so compare by
 * length first (no leading zeros), then lexically.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
