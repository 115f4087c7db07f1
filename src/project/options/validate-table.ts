import { AttributeType, StreamViewType } from './enums';
import { NumberMode, TableBillingMode, TableEncryptionMode, TableRemovalPolicy, type AttributeDefinition, type TableOptions } from './options';
import type { ProblemCollector } from '../shared/checks';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** DynamoDB attribute names are any UTF-8 text; keys hold 1 to 255 bytes (we apply that to every name). */
const ATTRIBUTE_NAME = (name: string) => name.length > 0 && Buffer.byteLength(name, 'utf-8') <= 255 && !LONE_SURROGATE.test(name);
/** Provisioned read and write capacity units (DynamoDB's per-table quota). */
export const CAPACITY_RANGE = { min: 1, max: 40_000 };
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})\/stream\/[^/]+$/;

const ATTRIBUTE_TYPES = Object.values(AttributeType);
const KEY_TYPES = [AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY];
const KEY_TYPE_NAMES = 'AttributeType.STRING, AttributeType.NUMBER, AttributeType.BINARY';
const TYPE_NAMES = `${KEY_TYPE_NAMES}, AttributeType.BOOLEAN`;

export function checkAttribute(
  problems: ProblemCollector,
  option: string,
  attribute: AttributeDefinition | undefined,
  isKey = false,
): void {
  if (attribute === undefined || attribute === null || typeof attribute !== 'object') {
    problems.add({
      option,
      value: attribute,
      allowed: `{ name: string, type: ${(isKey ? KEY_TYPE_NAMES : TYPE_NAMES).split(', ').join(' | ')} }`,
      fix: `add ${option.split('.').pop()}: { name: 'id', type: AttributeType.STRING }`,
    });
    return;
  }
  // DynamoDB allows any text as an attribute name (keys: 1 to 255 bytes); generated code quotes and escapes it.
  if (attribute.name !== undefined && (typeof attribute.name !== 'string' || !ATTRIBUTE_NAME(attribute.name))) {
    problems.add({
      option: `${option}.name`,
      value: attribute.name,
      allowed: 'a string of 1 to 255 bytes (UTF-8)',
      fix: 'use a shorter attribute name such as "orderId"',
    });
  }
  if (attribute.name === undefined) {
    problems.add({ option: `${option}.name`, value: undefined, allowed: 'an attribute name', fix: 'name the attribute' });
  }
  if (attribute.numberMode !== undefined) {
    problems.oneOf(`${option}.numberMode`, attribute.numberMode, Object.values(NumberMode), 'use NumberMode.NUMBER or NumberMode.STRING');
    if (attribute.type !== AttributeType.NUMBER) {
      problems.add({
        option: `${option}.numberMode`,
        value: attribute.numberMode,
        reason: `The attribute is of type ${JSON.stringify(attribute.type)}, not a number`,
        allowed: 'numberMode on AttributeType.NUMBER attributes only',
        fix: 'remove numberMode, or set type: AttributeType.NUMBER',
      });
    }
  }
  const allowed = isKey ? KEY_TYPES : ATTRIBUTE_TYPES;
  if (!allowed.includes(attribute.type)) {
    problems.add({
      option: `${option}.type`,
      value: attribute.type,
      allowed: isKey ? `${KEY_TYPE_NAMES} (DynamoDB keys are scalars)` : TYPE_NAMES,
      fix: 'pick one of those types',
    });
  }
}

export function checkTable(problems: ProblemCollector, table: TableOptions | undefined): void {
  if (table === undefined) return;
  checkAttribute(problems, 'table.partitionKey', table.partitionKey, true);
  if (table.sortKey !== undefined) {
    checkAttribute(problems, 'table.sortKey', table.sortKey, true);
    if (table.sortKey?.name !== undefined && table.sortKey.name === table.partitionKey?.name) {
      problems.add({
        option: 'table.sortKey.name',
        value: table.sortKey.name,
        reason: 'It is also the partition key name',
        allowed: 'a name different from table.partitionKey.name',
        fix: 'rename the sort key, or remove sortKey for a partition-key-only table',
      });
    }
  }
  checkDeclaredAttributes(problems, table);
  problems.oneOf('table.streamViewType', table.streamViewType, Object.values(StreamViewType), 'use one of the StreamViewType values');
  checkCapacity(problems, table);
  const ttlName = table.timeToLiveAttribute;
  if (ttlName !== undefined && (typeof ttlName !== 'string' || !ATTRIBUTE_NAME(ttlName))) {
    problems.add({
      option: 'table.timeToLiveAttribute',
      value: ttlName,
      allowed: 'an attribute name of 1 to 255 bytes (UTF-8)',
      fix: 'name the number attribute that holds the expiry time in epoch seconds',
    });
  }
  // attributes that are not a list are reported by checkDeclaredAttributes; here they declare no TTL attribute
  const ttl = Array.isArray(table.attributes) ? table.attributes.find((a) => a?.name === table.timeToLiveAttribute) : undefined;
  if (ttl && ttl.type !== AttributeType.NUMBER) {
    problems.add({
      option: 'table.timeToLiveAttribute',
      value: table.timeToLiveAttribute,
      reason: `It is declared in table.attributes as ${ttl.type}, and DynamoDB only expires items whose TTL attribute is a number`,
      allowed: 'an attribute of type AttributeType.NUMBER',
      fix: 'declare it with type: AttributeType.NUMBER',
    });
  }
  problems.boolean('table.pointInTimeRecovery', table.pointInTimeRecovery);
  problems.boolean('table.deletionProtection', table.deletionProtection);
  problems.oneOf('table.removalPolicy', table.removalPolicy, Object.values(TableRemovalPolicy), 'use one of the TableRemovalPolicy values');
  problems.oneOf('table.encryption', table.encryption, Object.values(TableEncryptionMode), 'use one of the TableEncryptionMode values');
  problems.pattern('table.tableName', table.tableName, TABLE_NAME, '3..255 characters of A-Z a-z 0-9 _ . -', 'pick a valid table name or leave it out');
  checkImportedTable(problems, table);
}

function checkDeclaredAttributes(problems: ProblemCollector, table: TableOptions): void {
  if (table.attributes === undefined) return;
  if (!Array.isArray(table.attributes)) {
    problems.add({ option: 'table.attributes', value: table.attributes, allowed: 'a list of { name, type }', fix: 'write attributes: [{ name, type }]' });
    return;
  }
  const seen = new Map<string, number>();
  table.attributes.forEach((attribute, i) => {
    const option = `table.attributes[${i}]`;
    checkAttribute(problems, option, attribute);
    const name = attribute?.name;
    if (name === undefined) return;
    if (seen.has(name)) {
      problems.add({
        option: `${option}.name`,
        value: name,
        reason: `table.attributes[${seen.get(name)}] has the same name`,
        allowed: 'each attribute declared once',
        fix: 'remove the duplicate',
      });
    }
    seen.set(name, i);
    for (const [keyOption, key] of [['table.partitionKey', table.partitionKey], ['table.sortKey', table.sortKey]] as const) {
      if (key?.name === name && key.type !== attribute.type) {
        problems.add({
          option: `${option}.type`,
          value: attribute.type,
          reason: `${keyOption} "${name}" is declared as ${key.type}`,
          allowed: `${key.type}, the key's type (or leave keys out of attributes)`,
          fix: 'remove the key from attributes; keys are typed already',
        });
      }
    }
  });
}

function checkCapacity(problems: ProblemCollector, table: TableOptions): void {
  problems.oneOf('table.billingMode', table.billingMode, Object.values(TableBillingMode), 'use one of the TableBillingMode values');
  const provisioned = table.billingMode === TableBillingMode.PROVISIONED;
  for (const option of ['readCapacity', 'writeCapacity'] as const) {
    const value = table[option];
    if (value === undefined) continue;
    if (!provisioned) {
      problems.add({
        option: `table.${option}`,
        value,
        reason: 'Capacity applies to provisioned tables only',
        allowed: `${option} with billingMode: TableBillingMode.PROVISIONED`,
        fix: `remove ${option}, or set billingMode: TableBillingMode.PROVISIONED`,
      });
    } else {
      problems.integer(`table.${option}`, value, CAPACITY_RANGE, `set ${option} within that range`);
    }
  }
}

function checkImportedTable(problems: ProblemCollector, table: TableOptions): void {
  const { tableArn, streamArn } = table;
  if (tableArn === undefined && streamArn === undefined) return;
  if (tableArn === undefined || streamArn === undefined) {
    const missing = tableArn === undefined ? 'tableArn' : 'streamArn';
    problems.add({
      option: `table.${missing}`,
      value: undefined,
      reason: 'An existing table is consumed through both its table ARN and its stream ARN',
      allowed: 'both table.tableArn and table.streamArn, or neither',
      fix: `add table.${missing}, or remove the other to let the stack create the table`,
    });
    return;
  }
  problems.pattern(
    'table.tableArn',
    tableArn,
    TABLE_ARN,
    'arn:aws:dynamodb:<region>:<account>:table/<name>',
    'copy the table ARN from the DynamoDB console or `aws dynamodb describe-table`',
  );
  problems.pattern(
    'table.streamArn',
    streamArn,
    STREAM_ARN,
    'arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>',
    'copy LatestStreamArn from `aws dynamodb describe-table`',
  );
  const tableName = TABLE_ARN.exec(tableArn)?.[1];
  const streamTable = STREAM_ARN.exec(streamArn)?.[1];
  if (tableName && streamTable && tableName !== streamTable) {
    problems.add({
      option: 'table.streamArn',
      value: streamArn,
      reason: `It is a stream of table "${streamTable}", not of "${tableName}"`,
      allowed: `a stream ARN under ${tableArn}/stream/`,
      fix: 'use the stream ARN of the same table',
    });
  }
}
