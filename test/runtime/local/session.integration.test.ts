/**
 * The local session is the one owner of a command's local database: it holds the state folder's lock and the
 * DynamoDB Local it started, points idempotent handlers at the idempotency table, and gives all of it back once,
 * however often it is released. With joinLiveHolder it uses a live holder's DynamoDB Local and takes nothing.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { consumerConfig } from './fixtures/app-config';
import { tempDir } from './helpers';
import { openLocalSession } from '../../../src/runtime/local';
import { LOCAL_IDEMPOTENCY_TABLE } from '../../../src/runtime/local/database/idempotency-store';

jest.setTimeout(120_000);

test('a session holds the lock, DynamoDB Local and the idempotency environment until released; release is idempotent', async () => {
  // GIVEN a session on a fresh state folder, with an idempotent consumer
  const stateDir = tempDir('session');
  const before = process.env.IDEMPOTENCY_TABLE_NAME;
  const session = await openLocalSession({ stateDir, lock: { purpose: 'local', consumers: ['audit'] }, port: 0 });
  let released = false;
  try {
    // THEN the lock names this process and the endpoint it started
    const lock = JSON.parse(readFileSync(join(stateDir, 'runner.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, purpose: 'local', consumers: ['audit'], endpoint: session.endpoint });
    expect(session.joined).toBeUndefined();
    // WHEN idempotency is prepared (twice: only the first call acts)
    await session.prepareIdempotency([consumerConfig({ idempotency: { expirySeconds: 60 } })]);
    await session.prepareIdempotency([consumerConfig({ idempotency: { expirySeconds: 60 } })]);
    expect(process.env.IDEMPOTENCY_TABLE_NAME).toBe(LOCAL_IDEMPOTENCY_TABLE);
    expect(process.env.IDEMPOTENCY_TABLE_ENDPOINT).toBe(session.endpoint);
    expect((await session.clients.dynamodb.send(new ListTablesCommand({}))).TableNames).toContain(LOCAL_IDEMPOTENCY_TABLE);

    // AND another session with joinLiveHolder uses this one's DynamoDB Local, taking neither lock nor process
    const joined = await openLocalSession({ stateDir, lock: { purpose: 'redrive', consumers: ['audit'] }, port: 0, joinLiveHolder: true });
    expect(joined.joined?.pid).toBe(process.pid);
    expect(joined.endpoint).toBe(session.endpoint);
    await joined.release();
    expect(existsSync(join(stateDir, 'runner.lock'))).toBe(true);

    // WHEN the session is released twice, at once
    await Promise.all([session.release(), session.release()]);
    released = true;
    // THEN everything it took is given back
    expect(existsSync(join(stateDir, 'runner.lock'))).toBe(false);
    expect(process.env.IDEMPOTENCY_TABLE_NAME).toBe(before);
    await expect(fetch(session.endpoint)).rejects.toThrow();
  } finally {
    if (!released) await session.release();
  }
});
