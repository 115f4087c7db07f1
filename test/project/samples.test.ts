/**
 * Sample files are written once, when their consumer first appears; a sample the user deletes stays deleted. The
 * record of what was written is `.projen/samples.json`, committed with the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LogLevel } from 'projen';
import { emptyDir, testApp, type TestOptions } from './helpers';
import { readSamplesRecord, SAMPLES_RECORD } from '../../src/project/files/samples';

function synthInto(outdir: string, options: TestOptions): void {
  process.env.PROJEN_DISABLE_POST = 'true';
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    testApp({ ...options, logging: { level: LogLevel.WARN } }, outdir).synth();
  } finally {
    spy.mockRestore();
  }
}

const audit = { consumers: [{ name: 'audit' }] };
const auditAndIndexer = { consumers: [{ name: 'audit' }, { name: 'indexer' }] };
const AUDIT_SAMPLES = ['src/handlers/audit.ts', 'test/audit.test.ts', 'test/audit.emulator.test.ts'];

describe('GIVEN a synthesized repository', () => {
  test('THEN .projen/samples.json records the samples written, per consumer', () => {
    const outdir = emptyDir();
    synthInto(outdir, audit);

    expect(readSamplesRecord(outdir)).toEqual({ app: ['src/main.ts'], consumers: { audit: AUDIT_SAMPLES } });
    for (const file of ['src/main.ts', ...AUDIT_SAMPLES]) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
  });

  test('WHEN the user deletes sample files and synth runs again THEN they stay deleted', () => {
    const outdir = emptyDir();
    synthInto(outdir, audit);
    for (const file of ['src/main.ts', 'test/audit.test.ts', 'test/audit.emulator.test.ts']) fs.rmSync(path.join(outdir, file));

    synthInto(outdir, audit);
    synthInto(outdir, { consumers: [{ name: 'audit', retryAttempts: 2 }] });

    expect(fs.existsSync(path.join(outdir, 'test/audit.test.ts'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'test/audit.emulator.test.ts'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'src/main.ts'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'src/handlers/audit.ts'))).toBe(true);
  });

  test('WHEN a consumer is added THEN it gets its samples, and the deleted samples of the others stay deleted', () => {
    const outdir = emptyDir();
    synthInto(outdir, audit);
    fs.rmSync(path.join(outdir, 'test/audit.test.ts'));

    synthInto(outdir, auditAndIndexer);

    expect(fs.existsSync(path.join(outdir, 'test/audit.test.ts'))).toBe(false);
    for (const file of ['src/handlers/indexer.ts', 'test/indexer.test.ts', 'test/indexer.emulator.test.ts']) {
      expect(fs.existsSync(path.join(outdir, file))).toBe(true);
    }
    expect(Object.keys(readSamplesRecord(outdir)!.consumers)).toEqual(['audit', 'indexer']);
  });

  test('WHEN a consumer is removed and added back THEN its missing samples are written afresh and the kept ones untouched', () => {
    const outdir = emptyDir();
    synthInto(outdir, auditAndIndexer);
    fs.rmSync(path.join(outdir, 'test/indexer.test.ts'));
    fs.appendFileSync(path.join(outdir, 'src/handlers/indexer.ts'), '// mine\n');

    // removing a consumer deletes its failure queue: a change to acknowledge (see the change summary)
    synthInto(outdir, { ...audit, acknowledgedChanges: [{ change: 'consumers.indexer', from: 'indexer', to: '(removed)' }] });
    expect(Object.keys(readSamplesRecord(outdir)!.consumers)).toEqual(['audit']);
    synthInto(outdir, auditAndIndexer);

    expect(fs.existsSync(path.join(outdir, 'test/indexer.test.ts'))).toBe(true);
    expect(fs.readFileSync(path.join(outdir, 'src/handlers/indexer.ts'), 'utf-8')).toContain('// mine');
  });

  test('WHEN synth runs twice THEN the record does not change', () => {
    const outdir = emptyDir();
    synthInto(outdir, auditAndIndexer);
    const first = fs.readFileSync(path.join(outdir, SAMPLES_RECORD), 'utf-8');
    synthInto(outdir, auditAndIndexer);
    expect(fs.readFileSync(path.join(outdir, SAMPLES_RECORD), 'utf-8')).toBe(first);
  });
});

test('GIVEN a repository from before the record WHEN synth runs THEN deleted samples of existing consumers stay deleted', () => {
  const outdir = emptyDir();
  synthInto(outdir, audit);
  fs.rmSync(path.join(outdir, SAMPLES_RECORD), { force: true });
  fs.rmSync(path.join(outdir, 'test/audit.test.ts'));
  fs.rmSync(path.join(outdir, 'src/main.ts'));

  synthInto(outdir, auditAndIndexer);

  expect(fs.existsSync(path.join(outdir, 'test/audit.test.ts'))).toBe(false);
  expect(fs.existsSync(path.join(outdir, 'src/main.ts'))).toBe(false);
  expect(fs.existsSync(path.join(outdir, 'test/indexer.test.ts'))).toBe(true);
  expect(readSamplesRecord(outdir)?.consumers).toEqual({
    audit: AUDIT_SAMPLES,
    indexer: ['src/handlers/indexer.ts', 'test/indexer.test.ts', 'test/indexer.emulator.test.ts'],
  });
});

test('GIVEN an unreadable record WHEN synth runs THEN it is rewritten and nothing deleted comes back', () => {
  const outdir = emptyDir();
  synthInto(outdir, audit);
  const record = path.join(outdir, SAMPLES_RECORD);
  fs.chmodSync(record, 0o644);
  fs.writeFileSync(record, '{ not json');
  fs.rmSync(path.join(outdir, 'test/audit.test.ts'));

  synthInto(outdir, audit);

  expect(fs.existsSync(path.join(outdir, 'test/audit.test.ts'))).toBe(false);
  expect(readSamplesRecord(outdir)?.consumers).toEqual({ audit: AUDIT_SAMPLES });
});
