/**
 * The validation rules that relate options to each other or to a type, at their edges, through resolveOptions (what
 * the project's constructor runs first): the whole line a user reads, or no problem at all. Mutation testing found
 * these edges untested (issue 24, item 1); the ranges of single options are in validation-bounds.test.ts.
 */
import { resolveOptions } from '../../src/project/resolve/resolve-options';

const pk = { name: 'orderId', type: 'S' };
const c = (extra: object) => ({ consumers: [{ name: 'audit', ...extra }] });

/** [what, the options beside name, defaultReleaseBranch and cdkVersion] */
const CASES: Array<[string, object]> = [
  ['stalledMappingMinutes 7, not a whole number of periods', c({ alarms: { stalledMappingMinutes: 7 } })],
  ['stalledMappingMinutes 1439, the last value below the maximum that is not a multiple', c({ alarms: { stalledMappingMinutes: 1439 } })],
  ['stalledMappingMinutes 1435, a multiple near the maximum', c({ alarms: { stalledMappingMinutes: 1435 } })],
  ['an iterator age alarm at the record age', c({ maxRecordAgeSeconds: 3600, alarms: { iteratorAgeSeconds: 3600 } })],
  ['an iterator age alarm just below the record age', c({ maxRecordAgeSeconds: 3600, alarms: { iteratorAgeSeconds: 3599 } })],
  ['an iterator age alarm at a 100 s record age', c({ maxRecordAgeSeconds: 100, alarms: { iteratorAgeSeconds: 100 } })],
  ['an iterator age alarm at the record age, alarms disabled', c({ maxRecordAgeSeconds: 3600, alarms: { enabled: false, iteratorAgeSeconds: 3600 } })],
  ['an iterator age alarm of a day with no record age limit', c({ maxRecordAgeSeconds: -1, alarms: { iteratorAgeSeconds: 86400 } })],
  ['alarms given as a number', c({ alarms: 5 })],
  ['an idempotency expiry equal to the default record age', c({ idempotency: { enabled: true, expirySeconds: 3600 } })],
  ['an idempotency expiry a second shorter than the default record age', c({ idempotency: { enabled: true, expirySeconds: 3599 } })],
  ['an idempotency expiry of the retention with a two-day record age', c({ maxRecordAgeSeconds: 172800, idempotency: { enabled: true, expirySeconds: 86400 } })],
  ['an idempotency expiry a second shorter than the retention with a two-day record age', c({ maxRecordAgeSeconds: 172800, idempotency: { enabled: true, expirySeconds: 86399 } })],
  ['an idempotency expiry of the retention with no record age limit', c({ maxRecordAgeSeconds: -1, idempotency: { enabled: true, expirySeconds: 86400 } })],
  ['a short idempotency expiry with idempotency disabled', c({ idempotency: { enabled: false, expirySeconds: 600 } })],
  ['idempotency enabled given as a string', c({ idempotency: { enabled: 'yes' } })],
  ['idempotency on a consumer with a zero tumbling window', c({ tumblingWindowSeconds: 0, idempotency: { enabled: true } })],
  ['an environment value that is not a string', c({ environment: { LEVEL: 3 } })],
  ['an environment name starting with a digit', c({ environment: { '1LEVEL': 'x' } })],
  ['an environment name with a lowercase letter and underscore', c({ environment: { log_Level: 'x' } })],
  ['an environment value with a surrogate pair', c({ environment: { EMOJI: 'a\u{1F600}' } })],
  ['an environment value with a lone low surrogate', c({ environment: { LOW: '\uDC00a' } })],
  ['a one-letter consumer name', c({ name: 'a' })],
  ['a 40-character consumer name', c({ name: 'a'.repeat(40) })],
  ['a 41-character consumer name', c({ name: 'a'.repeat(41) })],
  ['a consumer given as null', { consumers: [null] }],
  ['consumers given as an object', { consumers: { name: 'audit' } }],
  ['a consumer without a name', { consumers: [{ batchSize: 10 }] }],
  ['filters given as an object', c({ filters: { eventNames: ['INSERT'] } })],
  ['an alarm topic ARN and a topic of our own', { monitoring: { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms', createAlarmTopic: true } }],
  ['an alarm topic ARN of a FIFO topic', { monitoring: { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms.fifo' } }],
  ['monitoring given as a string', { monitoring: 'on' }],
  ['dashboard given as a string', { monitoring: { dashboard: 'yes' } }],
  ['a sort key without a type', { table: { partitionKey: pk, sortKey: { name: 'createdAt' } } }],
  ['a sort key of type BOOL', { table: { partitionKey: pk, sortKey: { name: 'createdAt', type: 'BOOL' } } }],
  ['a BOOL attribute', { table: { partitionKey: pk, attributes: [{ name: 'active', type: 'BOOL' }] } }],
  ['attributes given as an object', { table: { partitionKey: pk, attributes: { name: 'x' } } }],
  ['an attribute name of 255 bytes', { table: { partitionKey: { name: 'a'.repeat(255), type: 'S' } } }],
  ['an attribute name of 256 bytes', { table: { partitionKey: { name: 'a'.repeat(256), type: 'S' } } }],
  ['an empty attribute name', { table: { partitionKey: { name: '', type: 'S' } } }],
  ['a number attribute in number mode STRING', { table: { partitionKey: pk, attributes: [{ name: 'total', type: 'N', numberMode: 'STRING' }] } }],
  ['an unknown number mode', { table: { partitionKey: pk, attributes: [{ name: 'total', type: 'N', numberMode: 'BIGINT' }] } }],
  ['a TTL attribute declared as a number', { table: { partitionKey: pk, timeToLiveAttribute: 'ttl', attributes: [{ name: 'ttl', type: 'N' }] } }],
  ['a TTL attribute name given as a number', { table: { partitionKey: pk, timeToLiveAttribute: 5 } }],
  ['a sort key redeclared with another type', { table: { partitionKey: pk, sortKey: { name: 'createdAt', type: 'N' }, attributes: [{ name: 'createdAt', type: 'S' }] } }],
  ['a key redeclared with the same type', { table: { partitionKey: pk, attributes: [{ name: 'orderId', type: 'S' }] } }],
  ['write capacity on an on-demand table', { table: { partitionKey: pk, writeCapacity: 5 } }],
  ['capacity on a provisioned table', { table: { partitionKey: pk, billingMode: 'PROVISIONED', readCapacity: 5, writeCapacity: 5 } }],
  ['an unknown billing mode', { table: { partitionKey: pk, billingMode: 'FREE' } }],
  ['a stream ARN without a table ARN', { table: { partitionKey: pk, streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/x' } }],
  ['a table and stream ARN of one table', { table: { partitionKey: pk, tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders', streamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024' } }],
  ['a malformed stream ARN', { table: { partitionKey: pk, tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders', streamArn: 'orders-stream' } }],
  ['pointInTimeRecovery given as a string', { table: { partitionKey: pk, pointInTimeRecovery: 'yes' } }],
  ['an unknown removal policy', { table: { partitionKey: pk, removalPolicy: 'KEEP' } }],
  ['a 255-character table name', { table: { partitionKey: pk, tableName: 'a'.repeat(255) } }],
  ['a 256-character table name', { table: { partitionKey: pk, tableName: 'a'.repeat(256) } }],
];


/** The problem lines of each case, without their "  - "; none when the options are accepted. */
const EXPECTED: Record<string, string[]> = {
  'stalledMappingMinutes 7, not a whole number of periods': ['consumers[0].alarms.stalledMappingMinutes: got 7. the alarm counts 5-minute periods. Allowed: a multiple of 5 in 5..1440. Fix: set stalledMappingMinutes to 5 or 10.'],
  'stalledMappingMinutes 1439, the last value below the maximum that is not a multiple': ['consumers[0].alarms.stalledMappingMinutes: got 1439. the alarm counts 5-minute periods. Allowed: a multiple of 5 in 5..1440. Fix: set stalledMappingMinutes to 1435 or 1440.'],
  'stalledMappingMinutes 1435, a multiple near the maximum': [],
  'an iterator age alarm at the record age': ['consumers[0].alarms.iteratorAgeSeconds: got 3600. Records older than maxRecordAgeSeconds (3600) are discarded, so the iterator age never reaches it and the alarm never fires. Allowed: 60..3599 (below maxRecordAgeSeconds). Fix: set iteratorAgeSeconds below 3600, e.g. 1800.'],
  'an iterator age alarm just below the record age': [],
  'an iterator age alarm at a 100 s record age': ['consumers[0].alarms.iteratorAgeSeconds: got 100. Records older than maxRecordAgeSeconds (100) are discarded, so the iterator age never reaches it and the alarm never fires. Allowed: 60..99 (below maxRecordAgeSeconds). Fix: set iteratorAgeSeconds below 100, e.g. 60.'],
  'an iterator age alarm at the record age, alarms disabled': [],
  'an iterator age alarm of a day with no record age limit': [],
  'alarms given as a number': ['consumers[0].alarms: got 5. Allowed: an object such as { iteratorAgeSeconds: 300 }. Fix: write alarms as an object, or leave it out for the defaults.'],
  'an idempotency expiry equal to the default record age': [],
  'an idempotency expiry a second shorter than the default record age': ['consumers[0].idempotency.expirySeconds: got 3599. The event source mapping may retry a record for 3600 s (maxRecordAgeSeconds 3600, the stream keeps records 24 h): a retry after 3599 s would run its callback again. Allowed: at least 3600. Fix: set expirySeconds: 3600 or more, or lower maxRecordAgeSeconds.'],
  'an idempotency expiry of the retention with a two-day record age': [],
  'an idempotency expiry a second shorter than the retention with a two-day record age': ['consumers[0].idempotency.expirySeconds: got 86399. The event source mapping may retry a record for 86400 s (maxRecordAgeSeconds 172800, the stream keeps records 24 h): a retry after 86399 s would run its callback again. Allowed: at least 86400. Fix: set expirySeconds: 86400 or more, or lower maxRecordAgeSeconds.'],
  'an idempotency expiry of the retention with no record age limit': [],
  'a short idempotency expiry with idempotency disabled': [],
  'idempotency enabled given as a string': ['consumers[0].idempotency.enabled: got "yes". Allowed: true or false. Fix: write enabled: true (or remove idempotency).'],
  'idempotency on a consumer with a zero tumbling window': [],
  'an environment value that is not a string': ['consumers[0].environment.LEVEL: got 3. Allowed: a string. Fix: quote the value.'],
  'an environment name starting with a digit': ['consumers[0].environment.1LEVEL: got "1LEVEL". Allowed: names of letters, digits and _, starting with a letter, not starting with AWS_ (reserved by Lambda). Fix: rename the variable.'],
  'an environment name with a lowercase letter and underscore': [],
  'an environment value with a surrogate pair': [],
  'an environment value with a lone low surrogate': ['consumers[0].environment.LOW: got "\\udc00a". It holds a lone UTF-16 surrogate, which UTF-8 (CloudFormation, Lambda) cannot carry. Allowed: any text of whole characters. Fix: remove the broken character.'],
  'a one-letter consumer name': ['consumers[0].name: got "a". Allowed: 2..40 characters. Fix: shorten or lengthen the name.'],
  'a 40-character consumer name': [],
  'a 41-character consumer name': [`consumers[0].name: got "${'a'.repeat(41)}". Allowed: 2..40 characters. Fix: shorten or lengthen the name.`],
  'a consumer given as null': ["consumers[0]: got null. Allowed: a consumer such as { name: 'processor' }. Fix: write the consumer as an object."],
  'consumers given as an object': ["consumers: got {\"name\":\"audit\"}. Allowed: a list of 1..2 consumers. Fix: add at least one consumer, e.g. consumers: [{ name: 'processor' }]."],
  'a consumer without a name': ["consumers[0].name: got nothing (missing). Allowed: a kebab-case name. Fix: name the consumer, e.g. name: 'audit'."],
  'filters given as an object': ['consumers[0].filters: got {"eventNames":["INSERT"]}. Allowed: at most 5 filters per event source mapping (an AWS quota). Fix: merge filters: one filter may list several values per attribute.'],
  'an alarm topic ARN and a topic of our own': ['monitoring.createAlarmTopic: got true. alarmTopicArn is given too: alarms notify one topic. Allowed: createAlarmTopic: true, or alarmTopicArn, not both. Fix: remove createAlarmTopic (alarms then notify alarmTopicArn) or remove alarmTopicArn.'],
  'an alarm topic ARN of a FIFO topic': ["monitoring.alarmTopicArn: got \"arn:aws:sns:eu-west-1:123456789012:alarms.fifo\". Allowed: an SNS topic ARN such as \"arn:aws:sns:eu-west-1:123456789012:alarms\" (standard topics; FIFO topics cannot receive alarms). Fix: copy the ARN of the topic from the SNS console, or leave alarmTopicArn out to use the stack's own topic."],
  'monitoring given as a string': ['monitoring: got "on". Allowed: an object such as { createAlarmTopic: true }. Fix: write monitoring as an object, or leave it out for the defaults.'],
  'dashboard given as a string': ['monitoring.dashboard: got "yes". Allowed: true or false. Fix: write dashboard: true or false.'],
  'a sort key without a type': ['table.sortKey.type: got nothing (missing). Allowed: AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY (DynamoDB keys are scalars). Fix: pick one of those types.'],
  'a sort key of type BOOL': ['table.sortKey.type: got "BOOL". Allowed: AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY (DynamoDB keys are scalars). Fix: pick one of those types.'],
  'a BOOL attribute': [],
  'attributes given as an object': ['table.attributes: got {"name":"x"}. Allowed: a list of { name, type }. Fix: write attributes: [{ name, type }].'],
  'an attribute name of 255 bytes': [],
  'an attribute name of 256 bytes': [`table.partitionKey.name: got "${'a'.repeat(256)}". Allowed: a string of 1 to 255 bytes (UTF-8). Fix: use a shorter attribute name such as "orderId".`],
  'an empty attribute name': ['table.partitionKey.name: got "". Allowed: a string of 1 to 255 bytes (UTF-8). Fix: use a shorter attribute name such as "orderId".'],
  'a number attribute in number mode STRING': [],
  'an unknown number mode': ['table.attributes[0].numberMode: got "BIGINT". Allowed: "NUMBER", "STRING". Fix: use NumberMode.NUMBER or NumberMode.STRING.'],
  'a TTL attribute declared as a number': [],
  'a TTL attribute name given as a number': ['table.timeToLiveAttribute: got 5. Allowed: an attribute name of 1 to 255 bytes (UTF-8). Fix: name the number attribute that holds the expiry time in epoch seconds.'],
  'a sort key redeclared with another type': ["table.attributes[0].type: got \"S\". table.sortKey \"createdAt\" is declared as N. Allowed: N, the key's type (or leave keys out of attributes). Fix: remove the key from attributes; keys are typed already."],
  'a key redeclared with the same type': [],
  'write capacity on an on-demand table': ['table.writeCapacity: got 5. Capacity applies to provisioned tables only. Allowed: writeCapacity with billingMode: TableBillingMode.PROVISIONED. Fix: remove writeCapacity, or set billingMode: TableBillingMode.PROVISIONED.'],
  'capacity on a provisioned table': [],
  'an unknown billing mode': ['table.billingMode: got "FREE". Allowed: "PAY_PER_REQUEST", "PROVISIONED". Fix: use one of the TableBillingMode values.'],
  'a stream ARN without a table ARN': ['table.tableArn: got nothing (missing). An existing table is consumed through both its table ARN and its stream ARN. Allowed: both table.tableArn and table.streamArn, or neither. Fix: add table.tableArn, or remove the other to let the stack create the table.'],
  'a table and stream ARN of one table': [],
  'a malformed stream ARN': ['table.streamArn: got "orders-stream". Allowed: arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>. Fix: copy LatestStreamArn from `aws dynamodb describe-table`.'],
  'pointInTimeRecovery given as a string': ['table.pointInTimeRecovery: got "yes". Allowed: true or false. Fix: write pointInTimeRecovery: true or false.'],
  'an unknown removal policy': ['table.removalPolicy: got "KEEP". Allowed: "RETAIN", "DESTROY", "SNAPSHOT". Fix: use one of the TableRemovalPolicy values.'],
  'a 255-character table name': [],
  'a 256-character table name': [`table.tableName: got "${'a'.repeat(256)}". Allowed: 3..255 characters of A-Z a-z 0-9 _ . -. Fix: pick a valid table name or leave it out.`],
};

test('every case has its expected lines', () => {
  expect(Object.keys(EXPECTED)).toEqual(CASES.map(([what]) => what));
});

test.each(CASES)('%s', (what, options) => {
  let lines: string[] = [];
  try {
    resolveOptions({ name: 'orders-consumer', defaultReleaseBranch: 'main', cdkVersion: '2.276.0', ...options } as never);
  } catch (e) {
    expect((e as Error).name).toBe('DdbStreamOptionsError');
    lines = (e as Error).message.split('\n').slice(1);
  }
  expect(lines).toEqual(EXPECTED[what].map((line) => `  - ${line}`));
});
