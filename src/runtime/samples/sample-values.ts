/**
 * Values that look like data, for sample tests and `--seed`: chosen by the attribute's type and, where the name
 * says what it holds, by its name (a time in epoch seconds, an amount, a status, an id), so that an item's `total`
 * is not its `createdAt`. The n-th value depends only on n: nothing depends on the date or the machine.
 */
import type { AttributeConfig } from '../config';

/** 2026-01-01T00:00:00Z in epoch seconds: times count minutes from there. */
const EPOCH = 1767225600;
const STATUSES = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

const TIME = /(At|Time|Date|_at|_time|_date|timestamp|expires|ttl)$/i;
const STATUS = /(status|state|stage|phase)$/i;
const ID = /(Id|_id|ID|key|Key)$/;

/** The n-th sample value of an attribute (n >= 0), in its JavaScript form (binary as base64, as the Lambda event carries it). */
export function sampleValue(attribute: AttributeConfig, n: number): string | number | boolean {
  const name = attribute.name;
  switch (attribute.type) {
    case 'S':
      if (STATUS.test(name)) return STATUSES[n % STATUSES.length];
      if (ID.test(name)) return `${name.replace(/_?(id|key)$/i, '') || name}-${String(1000 + n)}`;
      return `${name}-${n}`;
    case 'N': {
      const value = TIME.test(name) ? EPOCH + 60 * n : 100 + 25 * n;
      // numberMode STRING types the attribute as the exact decimal text (see docs/generated-code.md)
      return attribute.numberMode === 'STRING' ? String(value) : value;
    }
    case 'BOOL':
      return n % 2 === 1;
    case 'B':
      return Buffer.from(`${name}-${n}`, 'utf8').toString('base64');
  }
}

/** An item of the table with every key and declared attribute set to its n-th sample value. */
export function sampleItemValues(attributes: readonly AttributeConfig[], n: number): Record<string, string | number | boolean> {
  const item: Record<string, string | number | boolean> = {};
  for (const attribute of attributes) item[attribute.name] ??= sampleValue(attribute, n);
  return item;
}
