/**
 * Defaults of the project type that are not consumer rules: the consumer and table a bare `new DdbStreamApp()` gets.
 * A consumer's own defaults (batch size, retry policy, function) are src/runtime/rules/consumer-rules.ts's.
 */
export const DEFAULT_CONSUMER_NAME = 'processor';
export const DEFAULT_PARTITION_KEY = { name: 'pk', type: 'S' } as const;

/** Provisioned read and write capacity units, when the options give none. */
export const DEFAULT_CAPACITY_UNITS = 5;
