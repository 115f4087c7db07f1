import type { AttributeConfig, ConsumerConfig, FilterPattern, TableConfig } from '../../runtime/config';
import { ageIsInfinite, retriesAreInfinite } from '../../runtime/rules/consumer-rules';

// The generated README's sentences about a consumer, from its resolved config (printed by templates/app/README.md.hbs).

function seconds(value: number): string {
  if (value % 3600 === 0) return value === 3600 ? '1 hour' : `${value / 3600} hours`;
  if (value % 60 === 0) return value === 60 ? '1 minute' : `${value / 60} minutes`;
  return value === 1 ? '1 second' : `${value} seconds`;
}

const DESTINATION_WORDS: Record<ConsumerConfig['failureDestination'], string> = {
  SQS: 'described (sequence numbers only) in its SQS failure queue: the message is kept 14 days, the records it names only as long as the stream keeps them, 24 hours',
  SNS: 'described (sequence numbers only) in a message on its SNS failure topic, which only its subscribers receive; the records it names stay in the stream 24 hours',
  S3: 'written, records included, to its S3 failure bucket (objects expire after 30 days)',
  NONE: '**lost**: this consumer has no failure destination',
};

/** The retry policy of one consumer, in words, from its resolved config. */
export function retryPolicyInWords(c: ConsumerConfig): string[] {
  const retries =
    retriesAreInfinite(c)
      ? 'retried until it succeeds or its records age out'
      : c.retryAttempts === 0
        ? 'not retried'
        : `retried up to ${c.retryAttempts} time${c.retryAttempts === 1 ? '' : 's'} (${c.retryAttempts + 1} invocations in all)`;
  const age =
    ageIsInfinite(c)
      ? 'Records are never discarded for their age; they leave the stream after 24 hours.'
      : `Records older than ${seconds(c.maxRecordAgeSeconds)} are not retried any more.`;
  return [
    `Batches of up to ${c.batchSize} records${c.maxBatchingWindowSeconds > 0 ? `, gathered for up to ${seconds(c.maxBatchingWindowSeconds)}` : ''}, in order per shard${c.parallelizationFactor > 1 ? ` (${c.parallelizationFactor} batches at a time per shard, in order per item: two items of one partition key may be processed out of order, as AWS keeps order only per partition and sort key; keep parallelizationFactor at 1 where the handler needs order per partition key)` : ''}, starting from ${c.startingPosition === 'LATEST' ? 'new records only (LATEST)' : 'the oldest record in the stream (TRIM_HORIZON)'}.`,
    `A batch whose handler fails is ${retries}.${c.reportBatchItemFailures ? ' The handler reports the first record that failed (`batchItemFailures`): the records before it are done, and the retry starts at that record.' : ''}${c.bisectBatchOnError ? ' A failing batch is also split in two, again and again, which isolates a poison record without using up retries.' : ''}`,
    age,
    `Records given up on are ${DESTINATION_WORDS[c.failureDestination]}, and the shard moves on.`,
  ];
}

/** An item with the table's whole key (partition key, and sort key when there is one), in DynamoDB JSON. */
export function putItemExample(keys: readonly AttributeConfig[]): string {
  const values: Record<AttributeConfig['type'], string | boolean> = { S: 'a', N: '1', B: 'YQ==', BOOL: true };
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k.name, { [k.type]: values[k.type] }])));
}

/** The tumbling window of a consumer in words, or false without one. */
export function windowInWords(c: ConsumerConfig): string | false {
  if (c.tumblingWindowSeconds === 0) return false;
  return (
    `Tumbling window of ${seconds(c.tumblingWindowSeconds)}: the handler folds each window's records into a state ` +
    '(`reduce`) and `onWindowEnd` runs once per window and shard, with the final state.'
  );
}

const SECTION_NAMES: Record<string, string> = { Keys: 'key', NewImage: 'new image', OldImage: 'old image' };

/** One condition of a pattern leaf, e.g. `status` is "PAID" or "SHIPPED". */
function leafInWords(name: string, typedLeaf: Record<string, unknown[]>): string {
  const [values] = Object.values(typedLeaf);
  const first = values[0] as Record<string, unknown> | undefined;
  const quoted = (v: unknown) => JSON.stringify(v);
  if (first && typeof first === 'object' && 'exists' in first) return `\`${name}\` ${first.exists ? 'is present' : 'is absent'}`;
  if (first && typeof first === 'object' && 'prefix' in first) return `\`${name}\` starts with ${quoted(first.prefix)}`;
  if (first && typeof first === 'object' && 'anything-but' in first) {
    return `\`${name}\` is not ${(first['anything-but'] as unknown[]).map(quoted).join(' or ')}`;
  }
  return `\`${name}\` is ${values.map(quoted).join(' or ')}`;
}

function patternInWords(pattern: FilterPattern): string {
  const parts: string[] = [];
  const events = pattern.eventName as string[] | undefined;
  if (events) parts.push(`the event is ${events.join(' or ')}`);
  const dynamodb = (pattern.dynamodb ?? {}) as Record<string, Record<string, Record<string, unknown[]>>>;
  for (const [section, fields] of Object.entries(dynamodb)) {
    for (const [name, leaf] of Object.entries(fields)) parts.push(`in the ${SECTION_NAMES[section]}, ${leafInWords(name, leaf)}`);
  }
  return parts.join(' and ');
}

/**
 * The consumer's filters in words: what reaches the handler. Records that match no filter are dropped by the event
 * source mapping before any invocation (they count as FilteredOutEvents, never as failures).
 */
export function filtersInWords(filters: readonly FilterPattern[], _table: TableConfig): string[] {
  if (filters.length === 0) return [];
  if (filters.length === 1) {
    return [`Only records where ${patternInWords(filters[0])} reach the handler; others are filtered out before any invocation.`];
  }
  return [
    `Only records that match one of these filters reach the handler (others are filtered out before any invocation): ${filters
      .map((f, i) => `(${i + 1}) ${patternInWords(f)}`)
      .join('; ')}.`,
  ];
}

/** What DroppedEventCount means for this consumer, as a runbook row. */
export function droppedEventsAdvice(c: ConsumerConfig): string {
  if (c.failureDestination === 'NONE') {
    return 'The records were discarded without a failure destination: they are lost from the stream.';
  }
  // monitoring-metrics-types: "Dropped events also excludes events that you send to an on-failure destination."
  return 'With a destination, records count as dropped only when their delivery to it failed (DestinationDeliveryFailures on the dashboard counts those deliveries): they are lost from the stream.';
}
