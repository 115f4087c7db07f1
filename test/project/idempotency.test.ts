/**
 * Turning `idempotency` on adds what the generated code needs, and turning it off takes it away again: the
 * dependency, the managed module, the jest setup that gives tests an in-memory store, the per-consumer config.
 */
import { synthFiles } from './helpers';

const ON = { consumers: [{ name: 'payments', idempotency: { enabled: true } }, { name: 'audit' }] };

test('on: Powertools idempotency is a dependency, and every test file starts with a fresh in-memory store', () => {
  const files = synthFiles(ON);

  expect(files['package.json'].dependencies).toHaveProperty('@aws-lambda-powertools/idempotency');
  expect(files['package.json'].jest.setupFilesAfterEnv).toEqual(['<rootDir>/test/generated/idempotency-setup.ts']);
  expect(files['test/generated/idempotency-setup.ts']).toContain('useIdempotencyStore(() => new MemoryIdempotencyStore());');
  expect(files['src/generated/idempotency.ts']).toContain('eventKeyJmesPath: "eventID"');
  // only the consumer that asked for it
  expect(files['src/generated/payments/config.ts']).toContain('idempotency: { expirySeconds: 86400 }');
  expect(files['src/generated/audit/config.ts']).not.toContain('idempotency');
  expect(files['src/generated/payments/contract.ts']).toContain('oncePerRecord(config,');
  expect(files['src/generated/audit/contract.ts']).not.toContain('oncePerRecord');
  // the managed README says so, for that consumer
  expect(files['README.md']).toContain('Each unit test gets a fresh in-memory store (`test/generated/idempotency-setup.ts`');
  expect(files['README.md'].match(/Idempotency is on:/g)).toHaveLength(1);
});

test('off (the default): none of it', () => {
  const files = synthFiles({ consumers: [{ name: 'payments' }] });

  expect(files['package.json'].dependencies).not.toHaveProperty('@aws-lambda-powertools/idempotency');
  expect(files['package.json'].jest.setupFilesAfterEnv).toBeUndefined();
  expect(files['test/generated/idempotency-setup.ts']).toBeUndefined();
  expect(files['src/generated/idempotency.ts']).toBeUndefined();
});
