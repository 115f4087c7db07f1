/**
 * The whole line a user reads for each invalid option of ./invalid-options: what was given, why it is refused, what is
 * allowed and how to fix it. validation.test.ts checks the option path and value; these pin the words, so that a
 * changed message is a decision made here and not an accident (mutation testing found the words untested).
 */
import { INVALID } from './invalid-options';
import { resolveOptions } from '../../src/project/resolve/resolve-options';

/** [what is wrong (as in INVALID), the problem lines of the error, without their "  - "] */
const MESSAGES: Array<[string, string[]]> = [
  ['a missing partition key', ["table.partitionKey: got nothing (missing). Allowed: { name: string, type: AttributeType.STRING | AttributeType.NUMBER | AttributeType.BINARY }. Fix: add partitionKey: { name: 'id', type: AttributeType.STRING }."]],
  ['a partition key without a name', ['table.partitionKey.name: got nothing (missing). Allowed: an attribute name. Fix: name the attribute.']],
  ['a partition key of type BOOL', ['table.partitionKey.type: got "BOOL". Allowed: AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY (DynamoDB keys are scalars). Fix: pick one of those types.']],
  ['a partition key name over 255 bytes', ['table.partitionKey.name: got "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé". Allowed: a string of 1 to 255 bytes (UTF-8). Fix: use a shorter attribute name such as "orderId".']],
  ['a number mode on a string attribute', ['table.attributes[0].numberMode: got "STRING". The attribute is of type "S", not a number. Allowed: numberMode on AttributeType.NUMBER attributes only. Fix: remove numberMode, or set type: AttributeType.NUMBER.']],
  ['a sort key equal to the partition key', ['table.sortKey.name: got "orderId". It is also the partition key name. Allowed: a name different from table.partitionKey.name. Fix: rename the sort key, or remove sortKey for a partition-key-only table.']],
  ['an unknown stream view type', ['table.streamViewType: got "ALL". Allowed: "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES". Fix: use one of the StreamViewType values.']],
  ['a declared attribute twice', ['table.attributes[1].name: got "status". table.attributes[0] has the same name. Allowed: each attribute declared once. Fix: remove the duplicate.']],
  ['a key redeclared with another type', ["table.attributes[0].type: got \"N\". table.partitionKey \"orderId\" is declared as S. Allowed: S, the key's type (or leave keys out of attributes). Fix: remove the key from attributes; keys are typed already."]],
  ['capacity on an on-demand table', ['table.readCapacity: got 5. Capacity applies to provisioned tables only. Allowed: readCapacity with billingMode: TableBillingMode.PROVISIONED. Fix: remove readCapacity, or set billingMode: TableBillingMode.PROVISIONED.']],
  ['provisioned capacity out of range', ['table.writeCapacity: got 0. Allowed: an integer 1..40000. Fix: set writeCapacity within that range.']],
  ['a string TTL attribute', ['table.timeToLiveAttribute: got "ttl". It is declared in table.attributes as S, and DynamoDB only expires items whose TTL attribute is a number. Allowed: an attribute of type AttributeType.NUMBER. Fix: declare it with type: AttributeType.NUMBER.']],
  ['a table ARN without a stream ARN', ['table.streamArn: got nothing (missing). An existing table is consumed through both its table ARN and its stream ARN. Allowed: both table.tableArn and table.streamArn, or neither. Fix: add table.streamArn, or remove the other to let the stack create the table.']],
  ['a malformed table ARN', ['table.tableArn: got "orders". Allowed: arn:aws:dynamodb:<region>:<account>:table/<name>. Fix: copy the table ARN from the DynamoDB console or `aws dynamodb describe-table`.']],
  ['a stream of another table', ['table.streamArn: got "arn:aws:dynamodb:eu-west-1:123456789012:table/users/stream/x". It is a stream of table "users", not of "orders". Allowed: a stream ARN under arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/. Fix: use the stream ARN of the same table.']],
  ['a too short table name', ['table.tableName: got "ab". Allowed: 3..255 characters of A-Z a-z 0-9 _ . -. Fix: pick a valid table name or leave it out.']],
  ['no consumers', ["consumers: got []. Allowed: a list of 1..2 consumers. Fix: add at least one consumer, e.g. consumers: [{ name: 'processor' }]."]],
  ['three consumers on one stream', ['consumers: got ["a1","b2","c3"]. DynamoDB Streams serves at most two simultaneous readers per shard; a third mapping is throttled and every consumer falls behind. Allowed: at most 2 consumers on one stream. Fix: merge consumers into one handler, or fan out from one consumer (for example to EventBridge, SNS or Kinesis).']],
  ['a consumer name in camelCase', ['consumers[0].name: got "orderAudit". Allowed: kebab-case: lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-audit". Fix: rename it in kebab-case; it names src/handlers/<name>.ts and src/generated/<name>/.']],
  ['a consumer name with a trailing hyphen', ['consumers[0].name: got "audit-". Allowed: kebab-case: lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-audit". Fix: rename it in kebab-case; it names src/handlers/<name>.ts and src/generated/<name>/.']],
  ['a reserved consumer name', ['consumers[0].name: got "config". src/generated/config.ts is a managed module already. Allowed: any kebab-case name except config, stack, table, index, generated, monitoring, nag. Fix: pick a name that says what the consumer does, e.g. "audit".']],
  ['duplicate consumer names', ['consumers[1].name: got "audit". consumers[0] has the same name. Allowed: unique names (they name files, constructs and tasks). Fix: rename one of them.']],
  ['batch size 0', ['consumers[0].batchSize: got 0. Allowed: an integer 1..10000. Fix: set batchSize within that range (100 is a good start).']],
  ['batch size above 10000', ['consumers[0].batchSize: got 10001. Allowed: an integer 1..10000. Fix: set batchSize within that range (100 is a good start).']],
  ['a fractional batch size', ['consumers[0].batchSize: got 2.5. Allowed: an integer 1..10000. Fix: set batchSize within that range (100 is a good start).']],
  ['a batching window above 300 s', ['consumers[0].maxBatchingWindowSeconds: got 301. Allowed: an integer 0..300. Fix: set maxBatchingWindowSeconds within that range.']],
  ['AT_TIMESTAMP, which DynamoDB streams do not support', ['consumers[0].startingPosition: got "AT_TIMESTAMP". Allowed: "TRIM_HORIZON", "LATEST". Fix: DynamoDB streams support StartingPosition.TRIM_HORIZON or StartingPosition.LATEST (AT_TIMESTAMP is Kinesis only).']],
  ['retry attempts above 10000', ['consumers[0].retryAttempts: got 20000. Allowed: -1 (infinite) or an integer 0..10000. Fix: set retryAttempts within that range; bounded retries keep a poison record from blocking its shard.']],
  ['retry attempts -2', ['consumers[0].retryAttempts: got -2. Allowed: -1 (infinite) or an integer 0..10000. Fix: set retryAttempts within that range; bounded retries keep a poison record from blocking its shard.']],
  ['a record age below 60 s', ['consumers[0].maxRecordAgeSeconds: got 30. Allowed: -1 (infinite) or an integer 60..604800. Fix: set maxRecordAgeSeconds within that range (records older than 86400 have left the stream anyway).']],
  ['a record age above 7 days', ['consumers[0].maxRecordAgeSeconds: got 604801. Allowed: -1 (infinite) or an integer 60..604800. Fix: set maxRecordAgeSeconds within that range (records older than 86400 have left the stream anyway).']],
  ['parallelization factor 11', ['consumers[0].parallelizationFactor: got 11. Allowed: an integer 1..10. Fix: set parallelizationFactor within that range.']],
  ['a tumbling window above 900 s', ['consumers[0].tumblingWindowSeconds: got 901. Allowed: an integer 0..900. Fix: set tumblingWindowSeconds within that range (0 turns windows off).']],
  ['bisect given as a string', ['consumers[0].bisectBatchOnError: got "yes". Allowed: true or false. Fix: write bisectBatchOnError: true or false.']],
  ['an unknown failure destination', ['consumers[0].failureDestination: got "KINESIS". Allowed: "SQS", "SNS", "S3", "NONE". Fix: use FailureDestination.SQS, SNS, S3 or NONE.']],
  ['memory below 128 MB', ['consumers[0].memorySize: got 64. Allowed: an integer 128..10240. Fix: set memorySize in MB within that range.']],
  ['a timeout above 900 s', ['consumers[0].timeoutSeconds: got 901. Allowed: an integer 1..900. Fix: set timeoutSeconds within that range.']],
  ['a log retention CloudWatch does not offer', ['consumers[0].logRetentionDays: got 10. Allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. Fix: pick the nearest CloudWatch Logs retention value.']],
  ['an environment value with a lone surrogate', ['consumers[0].environment.NAME: got "a\\ud800". It holds a lone UTF-16 surrogate, which UTF-8 (CloudFormation, Lambda) cannot carry. Allowed: any text of whole characters. Fix: remove the broken character.']],
  ['a reserved environment variable', ['consumers[0].environment.AWS_REGION: got "AWS_REGION". Allowed: names of letters, digits and _, starting with a letter, not starting with AWS_ (reserved by Lambda). Fix: rename the variable.']],
  ['six filters', ['consumers[0].filters: got "6 filters". Allowed: at most 5 filters per event source mapping (an AWS quota). Fix: merge filters: one filter may list several values per attribute.']],
  ['a filter on an undeclared attribute', ['consumers[0].filters[0].newImage[0].attribute: got "status". Filters need the attribute type to build a typed pattern. Allowed: a key or a declared attribute ("pk"). Fix: declare it in table.attributes with its type.']],
  ['a keys filter on a non-key attribute', ['consumers[0].filters[0].keys[0].attribute: got "status". Allowed: "orderId". Fix: filter keys on a key attribute, or move the condition to newImage/oldImage.']],
  ['an image filter on a KEYS_ONLY stream', ['consumers[0].filters[0].newImage: got ["orderId"]. The stream view type KEYS_ONLY does not deliver NewImage, so this filter would drop every record. Allowed: newImage filters with table.streamViewType NEW_IMAGE or NEW_AND_OLD_IMAGES. Fix: change table.streamViewType, or filter on keys instead.', 'consumers[0].filters[0]: got {"newImage":[{"attribute":"orderId","anyOf":["1"]}]}. Allowed: a filter with eventNames, keys, newImage or oldImage. Fix: remove the empty filter (no filters means every record is delivered).']],
  ['a prefix on a number attribute', ['consumers[0].filters[0].newImage[0].prefix: got "1". "total" is of type N. Allowed: prefix on string attributes only. Fix: use anyOf or noneOf.']],
  ['a non-numeric value for a number attribute', ['consumers[0].filters[0].newImage[0].anyOf: got "ten". "total" is a number. Allowed: decimal strings such as "42" or "3.5". Fix: write the number as a string.']],
  ['two operators in one condition', ['consumers[0].filters[0].keys[0]: got {"attribute":"orderId","anyOf":["1"],"prefix":"x"}. Allowed: exactly one of anyOf, noneOf, prefix, exists. Fix: keep one operator per condition; write another filter for alternatives.']],
  ['an empty filter', ['consumers[0].filters[0]: got {}. Allowed: a filter with eventNames, keys, newImage or oldImage. Fix: remove the empty filter (no filters means every record is delivered).']],
  ['an unknown event name', ['consumers[0].filters[0].eventNames: got ["UPDATE"]. Allowed: a non-empty list of StreamEventName.INSERT, MODIFY, REMOVE. Fix: list the event names that should reach the function.']],
  ['a CDK version older than the generated code needs', ["cdkVersion: got \"2.100.0\". The generated stack uses event source mapping metrics and Node.js runtimes of newer releases. Allowed: aws-cdk-lib 2.276.0 or a newer 2.x release. Fix: set cdkVersion: '2.276.0'."]],
  ['idempotency given as a boolean', ['consumers[0].idempotency: got true. Allowed: { enabled: true } or { enabled: false }. Fix: write idempotency: { enabled: true }.']],
  ['an idempotency expiry under a minute', ["consumers[0].idempotency.expirySeconds: got 30. Allowed: an integer 60..1209600. Fix: set expirySeconds within that range (86400, the stream's retention, covers every retry).", 'consumers[0].idempotency.expirySeconds: got 30. The event source mapping may retry a record for 3600 s (maxRecordAgeSeconds 3600, the stream keeps records 24 h): a retry after 30 s would run its callback again. Allowed: at least 3600. Fix: set expirySeconds: 3600 or more, or lower maxRecordAgeSeconds.']],
  ['an idempotency expiry shorter than the record age (a retry would run the callback again)', ['consumers[0].idempotency.expirySeconds: got 3600. The event source mapping may retry a record for 7200 s (maxRecordAgeSeconds 7200, the stream keeps records 24 h): a retry after 3600 s would run its callback again. Allowed: at least 7200. Fix: set expirySeconds: 7200 or more, or lower maxRecordAgeSeconds.']],
  ['an idempotency expiry shorter than a day with unbounded record age', ['consumers[0].idempotency.expirySeconds: got 3600. The event source mapping may retry a record for 86400 s (maxRecordAgeSeconds -1, the stream keeps records 24 h): a retry after 3600 s would run its callback again. Allowed: at least 86400. Fix: set expirySeconds: 86400 or more, or lower maxRecordAgeSeconds.']],
  ['a misspelt consumer option', ['consumers[0].retyrAttempts: got 3. ConsumerOptions has no option "retyrAttempts": it would be ignored. Allowed: the options of ConsumerOptions: alarms, architecture, batchSize, bisectBatchOnError, enabled, environment, eventCountMetrics, failureDestination, filters, idempotency, logRetentionDays, maxBatchingWindowSeconds, maxRecordAgeSeconds, memorySize, name, parallelizationFactor, reportBatchItemFailures, retryAttempts, runtime, startingPosition, timeoutSeconds, tumblingWindowSeconds. Fix: did you mean retryAttempts? Rename it.']],
  ['a misspelt table option', ['table.streamViewtype: got "NEW_IMAGE". TableOptions has no option "streamViewtype": it would be ignored. Allowed: the options of TableOptions: attributes, billingMode, deletionProtection, encryption, partitionKey, pointInTimeRecovery, readCapacity, removalPolicy, sortKey, streamArn, streamViewType, tableArn, tableName, timeToLiveAttribute, writeCapacity. Fix: did you mean streamViewType? Rename it.']],
  ['a misspelt top-level option', ["consumer: got [{\"name\":\"audit\"}]. DdbStreamAppOptions has no option \"consumer\": it would be ignored. Allowed: the options of DdbStreamAppOptions, projen's AwsCdkTypeScriptAppOptions included (API.md). Fix: did you mean consumers? Rename it."]],
  ['a misspelt alarm option', ['consumers[0].alarms.functionError: got 2. ConsumerAlarmOptions has no option "functionError": it would be ignored. Allowed: the options of ConsumerAlarmOptions: enabled, failedInvokeEvents, functionErrors, functionThrottles, iteratorAgeSeconds, stalledMappingMinutes. Fix: did you mean functionErrors? Rename it.']],
  ['a misspelt idempotency option', ['consumers[0].idempotency.expiresSeconds: got 600. IdempotencyOptions has no option "expiresSeconds": it would be ignored. Allowed: the options of IdempotencyOptions: enabled, expirySeconds. Fix: did you mean expirySeconds? Rename it.']],
  ['a misspelt filter option', ['consumers[0].filters[0].eventName: got ["INSERT"]. ConsumerFilter has no option "eventName": it would be ignored. Allowed: the options of ConsumerFilter: eventNames, keys, newImage, oldImage. Fix: did you mean eventNames? Rename it.', 'consumers[0].filters[0]: got {"eventName":["INSERT"]}. Allowed: a filter with eventNames, keys, newImage or oldImage. Fix: remove the empty filter (no filters means every record is delivered).']],
  ['idempotency on a tumbling-window consumer', ['consumers[0].idempotency.enabled: got true. A tumbling-window consumer folds records into a state that Lambda discards on a failed invocation and rebuilds on the retry: records skipped as already done would be missing from it. Allowed: idempotency on consumers without tumblingWindowSeconds. Fix: make onWindowEnd idempotent itself (it runs once per window and gets the window start), or remove tumblingWindowSeconds.']],
];

test('every invalid option has its message pinned', () => {
  expect(MESSAGES.map(([what]) => what)).toEqual(INVALID.map(([what]) => what));
});

test.each(MESSAGES)('%s', (what, expected) => {
  const [, options] = INVALID.find(([w]) => w === what)!;
  let message = '';
  try {
    resolveOptions({ name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', ...options });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message.split('\n').slice(1)).toEqual(expected.map((line) => `  - ${line}`));
});
