/**
 * The checkpoint store coalesces its durable writes (at most one in flight, at most one per interval) and always
 * writes the latest state on close; the in-flight marks file is rewritten in place, never truncated.
 */
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { tempDir } from './helpers';
import { CheckpointStore } from '../../../src/runtime/local';
import { waitFor } from '../../conditions';

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

test('saves are coalesced into few writes, each a snapshot of what was done when it started; close writes the latest', async () => {
  // GIVEN a store with a long interval
  const store = new CheckpointStore(tempDir('checkpoint-store'), 'audit', { intervalMs: 60_000 });
  store.load('audit', 'local-table', 'arn:stream');

  // WHEN the checkpoint moves 100 times in a row
  for (let i = 1; i <= 100; i++) {
    store.shard('shard-1').sequenceNumber = String(i);
    store.save();
  }
  // THEN the first save started a write with the state of that moment, and the others wait for the interval: once
  // that write is done (the file is there and its temp file renamed), the file holds the first state
  await waitFor(() => existsSync(store.path) && !existsSync(`${store.path}.${process.pid}.tmp`), { what: `the first write of ${store.path}` });
  expect(read(store.path).shards['shard-1'].sequenceNumber).toBe('1');

  // AND close writes the latest state at once
  await store.close();
  expect(read(store.path).shards['shard-1'].sequenceNumber).toBe('100');
});

test('a save after the interval is written without a close', async () => {
  const store = new CheckpointStore(tempDir('checkpoint-store'), 'audit', { intervalMs: 20 });
  store.load('audit', 'local-table', 'arn:stream');
  store.shard('shard-1').sequenceNumber = '1';
  store.save();
  store.shard('shard-1').sequenceNumber = '2';
  store.save();
  // The file is replaced by a rename, so a read sees a whole state: the first ('1'), then the second, without close
  await waitFor(() => existsSync(store.path) && read(store.path).shards['shard-1'].sequenceNumber === '2', {
    what: `the second write of ${store.path} (sequenceNumber 2)`,
    detail: () => (existsSync(store.path) ? readFileSync(store.path, 'utf8') : 'no file yet'),
  });
  expect(read(store.path).shards['shard-1'].sequenceNumber).toBe('2');
  await store.close();
});

test('a failed write is reported by the next save and by close', async () => {
  // GIVEN a folder where the write's temp file goes, so writing fails
  const store = new CheckpointStore(tempDir('checkpoint-store'), 'audit', { intervalMs: 0 });
  store.load('audit', 'local-table', 'arn:stream');
  mkdirSync(`${store.path}.${process.pid}.tmp`);
  // WHEN it saves
  store.save();
  // THEN close rejects, and so does a later save
  await expect(store.close()).rejects.toThrow();
  expect(() => store.save()).toThrow();
});

test('in-flight marks are rewritten in place; a shorter text is padded, and reads back', async () => {
  const store = new CheckpointStore(tempDir('checkpoint-store'), 'audit');
  store.load('audit', 'local-table', 'arn:stream');
  store.writeInflight({ 'shard-1': '1000000', 'shard-2': '5' });
  store.writeInflight({ 'shard-1': '1000001' });
  expect(store.readInflight()).toEqual({ 'shard-1': '1000001' });
  await store.close();
  // A new store (a restart) continues the same file
  const again = new CheckpointStore(store.path.replace(/\/checkpoints\/audit\.json$/, ''), 'audit');
  again.load('audit', 'local-table', 'arn:stream');
  expect(again.readInflight()).toEqual({ 'shard-1': '1000001' });
  again.writeInflight({ 'shard-1': '2' });
  expect(again.readInflight()).toEqual({ 'shard-1': '2' });
  await again.close();
  expect(existsSync(again.inflightPath)).toBe(true);
});
