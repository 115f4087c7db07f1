/**
 * The one owner of the local database for a command: the state folder's lock, the DynamoDB Local it starts on
 * `<stateDir>/ddb` (or the one it was pointed at), the clients of it, and the environment that points this process's
 * idempotent handlers at the idempotency table in it. The local runner and redrive open one each; whatever the
 * session took, its {@link LocalSession.release} gives back, once, in the reverse order:
 *
 * ```ts
 * const session = await openLocalSession({ stateDir, lock: { purpose: 'local', consumers: ['audit'] }, port: 0 });
 * try {
 *   await session.prepareIdempotency(consumers);
 *   // session.clients.dynamodb, session.clients.streams ...
 * } finally {
 *   await session.release();
 * }
 * ```
 *
 * Where DynamoDB Local comes from:
 * - `endpoint` given: that one, already running (started by the user); the session starts none.
 * - otherwise, with `joinLiveHolder`, when another process holds the state folder's lock: that holder's DynamoDB Local
 *   (starting a second one on the same database would fight it), without taking the lock.
 * - otherwise: a DynamoDB Local started on `<stateDir>/ddb`, which needs the lock (two on one database file fight).
 */
import { join, resolve } from 'path';
import { localClients, type LocalClients } from './clients';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { prepareIdempotencyStore } from './idempotency-store';
import { freePort } from './ports';
import type { ConsumerConfig } from '../../config';
import { StateDirInUseError } from '../../errors';
import { describeConsumers, liveHolder, type LockHolder, StateLock } from '../state/state-lock';

export interface LocalSessionOptions {
  /** The state folder: its lock, and DynamoDB Local's database in `ddb/` (absolute, or from the cwd). */
  readonly stateDir: string;
  /**
   * Take the state folder's lock, naming what this process does and for which consumers. Required unless `endpoint`
   * is given; the runner takes it with an endpoint too (its checkpoints and failures live in the folder).
   */
  readonly lock?: { readonly purpose: LockHolder['purpose']; readonly consumers: readonly string[] };
  /** Use this already running DynamoDB Local (or compatible endpoint) instead of starting one. */
  readonly endpoint?: string;
  /** Port for the DynamoDB Local the session starts; 0 picks a free one. @default 8000 */
  readonly port?: number;
  /**
   * When a live process holds the state folder's lock, use the DynamoDB Local it recorded instead of refusing (see
   * {@link LocalSession.joined}). @default false: the lock refuses, naming the holder.
   */
  readonly joinLiveHolder?: boolean;
  /** Told what was done about a stale lock or a DynamoDB Local left behind. */
  readonly onNotice?: (message: string) => void;
}

export interface LocalSession {
  readonly endpoint: string;
  readonly clients: LocalClients;
  /** The live holder whose DynamoDB Local this session uses (with `joinLiveHolder`); it took neither lock nor process. */
  readonly joined?: LockHolder;
  /**
   * Creates the idempotency table, when one of `consumers` has idempotency on, and points this process's handlers
   * at it until {@link release}. Only the first call does anything.
   */
  prepareIdempotency(consumers: readonly ConsumerConfig[]): Promise<void>;
  /**
   * Restores the environment, destroys the clients, stops the DynamoDB Local the session started and releases the
   * lock. Idempotent: every call after the first returns the first's promise.
   */
  release(): Promise<void>;
}

export async function openLocalSession(options: LocalSessionOptions): Promise<LocalSession> {
  const stateDir = resolve(options.stateDir);
  if (options.endpoint !== undefined) {
    const lock = options.lock ? acquire(stateDir, options) : undefined;
    return startSession(options.endpoint, undefined, lock);
  }
  if (options.joinLiveHolder) {
    const holder = liveHolder(stateDir);
    if (holder?.endpoint) return new Session(localClients(holder.endpoint), undefined, undefined, holder);
    if (holder) {
      const purpose = options.lock?.purpose ?? 'redrive';
      throw new StateDirInUseError(`state dir ${stateDir} is in use by pid ${holder.pid} (${describeConsumers(holder)}), which is still starting: run ${purpose} again in a moment`, holder);
    }
  }
  // a bug, not a user's mistake: no command starts DynamoDB Local on a folder it has not locked
  if (!options.lock) throw new Error('openLocalSession: starting DynamoDB Local needs the state folder\'s lock: pass lock, or an endpoint');
  const lock = acquire(stateDir, options);
  let ddb: DynamoDbLocal;
  try {
    const port = options.port === 0 ? await freePort() : options.port ?? 8000;
    ddb = await startDynamoDbLocal({ dbPath: join(stateDir, 'ddb'), port, onNotice: options.onNotice });
  } catch (error) {
    lock.release();
    throw error;
  }
  return startSession(ddb.endpoint, ddb, lock);
}

function acquire(stateDir: string, options: LocalSessionOptions): StateLock {
  const { purpose, consumers } = options.lock!;
  return StateLock.acquire(stateDir, { purpose, consumers, onNotice: options.onNotice });
}

/** Records the endpoint in the lock (a redrive on the same folder then reads from it), then makes the clients. */
async function startSession(endpoint: string, ddb: DynamoDbLocal | undefined, lock: StateLock | undefined): Promise<LocalSession> {
  try {
    lock?.setEndpoint(endpoint);
  } catch (error) {
    await ddb?.stop();
    lock?.release();
    throw error;
  }
  return new Session(localClients(endpoint), ddb, lock);
}

class Session implements LocalSession {
  private restoreEnvironment: (() => void) | undefined;
  private released: Promise<void> | undefined;

  constructor(
    public readonly clients: LocalClients,
    private readonly ddb: DynamoDbLocal | undefined,
    private readonly lock: StateLock | undefined,
    public readonly joined?: LockHolder,
  ) {}

  public get endpoint(): string {
    return this.clients.endpoint;
  }

  public async prepareIdempotency(consumers: readonly ConsumerConfig[]): Promise<void> {
    if (this.restoreEnvironment) return;
    this.restoreEnvironment = await prepareIdempotencyStore(this.clients.dynamodb, this.endpoint, consumers);
  }

  public release(): Promise<void> {
    this.released ??= (async () => {
      this.restoreEnvironment?.();
      this.clients.destroy();
      await this.ddb?.stop();
      this.lock?.release();
    })();
    return this.released;
  }
}
