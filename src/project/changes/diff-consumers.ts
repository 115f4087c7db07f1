import type { Baseline } from './baseline';
import { RESOURCE, restartOnSameStream, showValue, type DeploymentChange, type ResourceEffect } from './effects';
import type { ConsumerAlarmsConfig, ConsumerConfig, FailureDestinationName } from '../../runtime/config';
import { ageIsInfinite, retriesAreInfinite } from '../../runtime/rules/consumer-rules';

const DESTINATION_RESOURCE: Record<FailureDestinationName, string | undefined> = {
  SQS: RESOURCE.queue,
  SNS: RESOURCE.topic,
  S3: RESOURCE.bucket,
  NONE: undefined,
};

/** What removing a consumer's failure destination does with what it holds, and whether that loses data. */
function destinationGone(c: ConsumerConfig): { words: string; loses: boolean; effect?: ResourceEffect } {
  switch (c.failureDestination) {
    case 'SQS':
      return {
        words: 'deletes its failure queue and the failed batches still in it (redrive them first: npx projen redrive)',
        loses: true,
        effect: { type: RESOURCE.queue, action: 'deleted', consumer: c.name },
      };
    case 'SNS':
      return {
        words: 'deletes its failure topic and the subscriptions to it',
        loses: false,
        effect: { type: RESOURCE.topic, action: 'deleted', consumer: c.name },
      };
    case 'S3':
      return {
        words: 'leaves its failure bucket and the failures in it outside the stack (the bucket is retained): delete it when done',
        loses: false,
        effect: { type: RESOURCE.bucket, action: 'orphaned', consumer: c.name },
      };
    default:
      return { words: 'it has no failure destination', loses: false };
  }
}

/** The changes to the consumers: matched by name, with a rename when one name at the same position changed. */
export function consumerChanges(before: Baseline, after: Baseline): DeploymentChange[] {
  const oldNames = new Set(before.consumers.map((c) => c.name));
  const newNames = new Set(after.consumers.map((c) => c.name));
  const changes: DeploymentChange[] = [];
  before.consumers.forEach((old, i) => {
    const now = after.consumers.find((c) => c.name === old.name);
    const renamedTo = after.consumers[i];
    if (now) changes.push(...sameConsumerChanges(old, now));
    else if (renamedTo && !oldNames.has(renamedTo.name)) changes.push(renamed(old, renamedTo));
    else changes.push(removed(old));
  });
  after.consumers.forEach((now, i) => {
    const isRename = !oldNames.has(now.name) && before.consumers[i] !== undefined && !newNames.has(before.consumers[i].name);
    if (!oldNames.has(now.name) && !isRename) changes.push(added(now));
  });
  return changes;
}

function functionAndMapping(c: ConsumerConfig, action: 'created' | 'deleted'): ResourceEffect[] {
  return [
    { type: RESOURCE.function, action, consumer: c.name },
    { type: RESOURCE.mapping, action, consumer: c.name },
  ];
}

function renamed(old: ConsumerConfig, now: ConsumerConfig): DeploymentChange {
  const gone = destinationGone(old);
  const created = DESTINATION_RESOURCE[now.failureDestination];
  return {
    change: `consumers.${old.name}.name`,
    from: old.name,
    to: now.name,
    effect:
      `the consumer's resources are named after it, so CloudFormation deletes "${old.name}" (function, mapping, alarms) and ` +
      `creates "${now.name}": ${restartOnSameStream(now)}; it also ${gone.words}`,
    risky: true,
    // a renamed consumer is a new one: whatever else changed with the name comes with its new resources
    covers: [`consumers.${old.name}`, `consumers.${now.name}`],
    resources: [
      ...functionAndMapping(old, 'deleted'),
      ...functionAndMapping(now, 'created'),
      ...(gone.effect ? [gone.effect] : []),
      ...(created ? [{ type: created, action: 'created' as const, consumer: now.name }] : []),
    ],
  };
}

function removed(old: ConsumerConfig): DeploymentChange {
  const gone = destinationGone(old);
  return {
    change: `consumers.${old.name}`,
    from: old.name,
    to: '(removed)',
    effect: `deletes the consumer's function, mapping and alarms: its records are no longer processed; ${gone.words}`,
    risky: gone.loses,
    resources: [...functionAndMapping(old, 'deleted'), ...(gone.effect ? [gone.effect] : [])],
  };
}

/** A consumer that was not deployed before: on a table that already has a stream, what it reads first matters. */
export function added(now: ConsumerConfig): DeploymentChange {
  const start =
    now.startingPosition === 'TRIM_HORIZON'
      ? 'its mapping starts at TRIM_HORIZON: it processes every record still in the stream (up to 24 hours of changes made before it existed) first'
      : 'its mapping starts at LATEST: records written before it exists are not processed';
  return {
    change: `consumers.${now.name}`,
    from: '(none)',
    to: now.name,
    effect: `creates the consumer's function, mapping and alarms; ${start}`,
    risky: false,
    resources: functionAndMapping(now, 'created'),
  };
}

/** Changes within one consumer. */
function sameConsumerChanges(old: ConsumerConfig, now: ConsumerConfig): DeploymentChange[] {
  const changes: DeploymentChange[] = [];
  const at = `consumers.${now.name}`;
  if (old.startingPosition !== now.startingPosition) {
    changes.push({
      change: `${at}.startingPosition`,
      from: old.startingPosition,
      to: now.startingPosition,
      effect: `a mapping's StartingPosition cannot change in place: CloudFormation replaces the mapping, and ${restartOnSameStream(now)}`,
      risky: true,
      resources: [{ type: RESOURCE.mapping, action: 'replaced', consumer: now.name }],
    });
  }
  if (old.failureDestination !== now.failureDestination) changes.push(destinationChange(old, now));
  return [
    ...changes,
    ...mappingSettings(old, now, at),
    ...functionSettings(old, now, at),
    ...alarmSettings(old, now, at),
    ...idempotencyChanges(old, now, at),
  ];
}

function destinationChange(old: ConsumerConfig, now: ConsumerConfig): DeploymentChange {
  const gone = old.failureDestination === 'NONE' ? undefined : destinationGone(old);
  const created = DESTINATION_RESOURCE[now.failureDestination];
  const toWords = now.failureDestination === 'NONE' ? 'failed batches are then lost without a trace' : `failed batches go to the new ${now.failureDestination} destination`;
  return {
    covers: [`consumers.${now.name}.alarms.failureQueueAgeSeconds`],
    change: `consumers.${now.name}.failureDestination`,
    from: old.failureDestination,
    to: now.failureDestination,
    effect: `the mapping is updated in place (it keeps its position); ${toWords}${gone ? `; the stack ${gone.words}` : ''}`,
    risky: gone?.loses ?? false,
    resources: [
      { type: RESOURCE.mapping, action: 'updated', consumer: now.name },
      ...(gone?.effect ? [gone.effect] : []),
      ...(created ? [{ type: created, action: 'created' as const, consumer: now.name }] : []),
    ],
  };
}

type Row = [option: string, from: unknown, to: unknown, effect: string];

function inPlace(at: string, type: string, consumer: string, rows: Row[]): DeploymentChange[] {
  return rows
    .filter(([, from, to]) => JSON.stringify(from) !== JSON.stringify(to))
    .map(([option, from, to, effect]) => ({
      change: `${at}.${option}`,
      from: showValue(from),
      to: showValue(to),
      effect,
      risky: false,
      resources: [{ type, action: 'updated' as const, consumer }],
    }));
}


function mappingSettings(old: ConsumerConfig, now: ConsumerConfig, at: string): DeploymentChange[] {
  const kept = 'in place: the mapping keeps its position in the stream';
  return inPlace(at, RESOURCE.mapping, now.name, [
    ['batchSize', old.batchSize, now.batchSize, kept],
    ['maxBatchingWindowSeconds', old.maxBatchingWindowSeconds, now.maxBatchingWindowSeconds, kept],
    ['retryAttempts', old.retryAttempts, now.retryAttempts, `${kept}; a failing batch is retried ${retriesAreInfinite(now) ? 'until its records expire' : `${now.retryAttempts} times`} before it goes to the failure destination`],
    ['maxRecordAgeSeconds', old.maxRecordAgeSeconds, now.maxRecordAgeSeconds, `${kept}; records older than ${ageIsInfinite(now) ? 'the stream retention' : `${now.maxRecordAgeSeconds} s`} are discarded to the failure destination`],
    ['bisectBatchOnError', old.bisectBatchOnError, now.bisectBatchOnError, kept],
    ['reportBatchItemFailures', old.reportBatchItemFailures, now.reportBatchItemFailures, kept],
    ['parallelizationFactor', old.parallelizationFactor, now.parallelizationFactor, kept],
    ['tumblingWindowSeconds', old.tumblingWindowSeconds, now.tumblingWindowSeconds, kept],
    ['filters', old.filters, now.filters, `${kept}; from the next batch on, records matching no filter are dropped without invoking the function`],
    ['enabled', old.enabled, now.enabled, now.enabled ? `${kept}; polling resumes where it stopped` : `${kept}; polling stops: records older than 24 hours are trimmed from the stream before it resumes`],
    ['eventCountMetrics', old.eventCountMetrics, now.eventCountMetrics, 'in place'],
  ]);
}

function functionSettings(old: ConsumerConfig, now: ConsumerConfig, at: string): DeploymentChange[] {
  const [a, b] = [old.function, now.function];
  return [
    ...inPlace(at, RESOURCE.function, now.name, [
      ['memorySize', a.memorySize, b.memorySize, 'in place: the function is updated, the next invocations use the new memory'],
      ['timeoutSeconds', a.timeoutSeconds, b.timeoutSeconds, 'in place: the function is updated'],
      ['architecture', a.architecture, b.architecture, 'in place: the function is updated and its code rebuilt for the new architecture'],
      // baselines written before the runtime was an option hold none: every such stack ran nodejs24.x
      ['runtime', a.runtime ?? 'nodejs24.x', b.runtime, 'in place: the function is updated and its code rebundled for the new Node.js; test the handler on it first'],
      ['environment', a.environment, b.environment, 'in place: the function is updated'],
    ]),
    ...inPlace(at, RESOURCE.logGroup, now.name, [['logRetentionDays', a.logRetentionDays, b.logRetentionDays, 'in place: the log group keeps its logs under the new retention']]),
  ];
}

function alarmSettings(old: ConsumerConfig, now: ConsumerConfig, at: string): DeploymentChange[] {
  const off: ConsumerAlarmsConfig = {
    enabled: false,
    iteratorAgeSeconds: 0,
    functionErrors: 0,
    functionThrottles: 0,
    failedInvokeEvents: 0,
    stalledMappingMinutes: 0,
  };
  const [a, b] = [old.alarms ?? off, now.alarms ?? off];
  if (a.enabled !== b.enabled) {
    return [
      {
        change: `${at}.alarms.enabled`,
        from: String(a.enabled),
        to: String(b.enabled),
        effect: b.enabled ? "creates the consumer's alarms" : "deletes the consumer's alarms: nobody is told when it falls behind or fails",
        risky: false,
        resources: [{ type: RESOURCE.alarm, action: b.enabled ? 'created' : 'deleted', consumer: now.name }],
        covers: [`${at}.alarms`],
      },
    ];
  }
  if (!b.enabled) return [];
  return inPlace(at, RESOURCE.alarm, now.name, [
    ['alarms.iteratorAgeSeconds', a.iteratorAgeSeconds, b.iteratorAgeSeconds, 'in place: the iterator age alarm gets the new threshold'],
    ['alarms.functionErrors', a.functionErrors, b.functionErrors, 'in place: the errors alarm gets the new threshold'],
    ['alarms.functionThrottles', a.functionThrottles, b.functionThrottles, 'in place: the throttles alarm gets the new threshold'],
    ['alarms.failedInvokeEvents', a.failedInvokeEvents, b.failedInvokeEvents, 'in place: the failed-invoke-events alarm gets the new threshold'],
    ['alarms.stalledMappingMinutes', a.stalledMappingMinutes, b.stalledMappingMinutes, 'in place: the stalled-mapping alarm waits the new time before it pages'],
    // derived from maxRecordAgeSeconds; appears and disappears with an SQS destination (that change covers it)
    ...(a.failureQueueAgeSeconds !== undefined && b.failureQueueAgeSeconds !== undefined
      ? [['alarms.failureQueueAgeSeconds', a.failureQueueAgeSeconds, b.failureQueueAgeSeconds, 'in place: the failure queue age alarm follows maxRecordAgeSeconds (half of what the stream keeps after it)'] as Row]
      : []),
  ]);
}

/**
 * Idempotency keeps its own table per consumer. What it remembers is only which records completed, so losing it loses
 * no item of the user's: a redelivery after the change runs its callback again, as it would without idempotency.
 */
function idempotencyChanges(old: ConsumerConfig, now: ConsumerConfig, at: string): DeploymentChange[] {
  const [a, b] = [old.idempotency, now.idempotency];
  if ((a === undefined) !== (b === undefined)) {
    const table = { type: RESOURCE.table, action: b ? ('created' as const) : ('deleted' as const), consumer: now.name };
    return [
      {
        change: `${at}.idempotency.enabled`,
        from: String(a !== undefined),
        to: String(b !== undefined),
        effect: b
          ? `creates the consumer's idempotency table and updates the function to use it: from then on a record whose callback completed is not run again when it is delivered again within ${b.expirySeconds} s (records completed before the deployment are not remembered)`
          : "deletes the consumer's idempotency table and what it remembers; the function is updated: a record delivered again (a retry, a bisected half, a redrive) runs its callback again",
        risky: false,
        resources: [table, { type: RESOURCE.function, action: 'updated', consumer: now.name }],
        covers: [`${at}.idempotency`],
      },
    ];
  }
  if (a === undefined || b === undefined || a.expirySeconds === b.expirySeconds) return [];
  return inPlace(at, RESOURCE.function, now.name, [
    [
      'idempotency.expirySeconds',
      a.expirySeconds,
      b.expirySeconds,
      `in place: the function is updated; records completed before keep the expiry they were stored with, records completed from then on are remembered ${b.expirySeconds} s`,
    ],
  ]);
}
