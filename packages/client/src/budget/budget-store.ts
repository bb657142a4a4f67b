import type { Redis } from 'ioredis';
import { redactText, safeOrigin } from '../common/index.js';
import { ACQUIRE, EXHAUST, RELEASE } from './budget-scripts.js';

/** A Redis that takes longer than these is treated as down: a build must never wait on its budget store. */
export const REDIS_CONNECT_TIMEOUT_MS = 1500;
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** After a failure, the in-process budget is used for this long before Redis is tried again. */
export const REDIS_RETRY_AFTER_MS = 30_000;

interface ScriptCommands {
  playcanvasBudgetAcquire(key: string, ...args: number[]): Promise<[string, number, number?]>;
  playcanvasBudgetRelease(key: string, ...args: number[]): Promise<[number, number]>;
  playcanvasBudgetExhaust(key: string, ...args: number[]): Promise<number>;
}

type Connected = Redis & ScriptCommands;

/** The store failed (unreachable, too slow, refused): the caller falls back to its own budget. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** Said once per process, whichever build meets the failure first. */
let warned = false;

/**
 * One Redis that budgets live in, as one process sees it: connected while some operation holds it (so no idle
 * socket keeps a gulp or Grunt process alive), with short timeouts; after a failure it is left alone for
 * REDIS_RETRY_AFTER_MS and every call fails at once. The URL may hold a password: only its origin is shown.
 */
export class BudgetStore {
  private client: Promise<Connected> | undefined;
  private holders = 0;
  /** Commands sent and not yet answered: the connection ends only once they are. */
  private busy = 0;
  private downUntil = 0;
  private pendingWarning: string | undefined;
  readonly shown: string;

  constructor(private readonly url: string) {
    this.shown = safeOrigin(new URL(url));
  }

  hold(): () => void {
    this.holders += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.holders -= 1;
      this.disconnectWhenIdle();
    };
  }

  private disconnectWhenIdle(): void {
    if (this.holders === 0 && this.busy === 0) this.disconnect();
  }

  /** The warning to show, once per process: set by the first failure, taken by the first caller able to show it. */
  takeWarning(): string | undefined {
    const warning = this.pendingWarning;
    this.pendingWarning = undefined;
    return warning;
  }

  get usable(): boolean {
    return Date.now() >= this.downUntil;
  }

  acquire(key: string, now: number, leaseMs: number, ttlMs: number): Promise<[string, number, number?]> {
    return this.run((c) => c.playcanvasBudgetAcquire(key, now, leaseMs, ttlMs));
  }

  release(
    key: string,
    now: number,
    window: number,
    told: number,
    resetAt: number,
    ttlMs: number,
  ): Promise<[number, number]> {
    return this.run((c) => c.playcanvasBudgetRelease(key, now, window, told, resetAt, ttlMs));
  }

  exhaust(key: string, resetAt: number, ttlMs: number): Promise<number> {
    return this.run((c) => c.playcanvasBudgetExhaust(key, resetAt, ttlMs));
  }

  private async run<T>(command: (client: Connected) => Promise<T>): Promise<T> {
    if (!this.usable) throw new StoreUnavailable('down');
    this.busy += 1;
    try {
      return await command(await this.connect());
    } catch (error) {
      this.failed(error);
      throw new StoreUnavailable('failed', { cause: error });
    } finally {
      this.busy -= 1;
      this.disconnectWhenIdle();
    }
  }

  private connect(): Promise<Connected> {
    this.client ??= (async () => {
      const { Redis } = await import('ioredis');
      const client = new Redis(this.url, {
        lazyConnect: true,
        connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        // A lost connection is not retried by the client: the store says so once and sits out REDIS_RETRY_AFTER_MS.
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        enableReadyCheck: false,
      });
      // errors reach the commands that meet them; an 'error' event without a listener would end the process
      client.on('error', () => undefined);
      client.defineCommand('playcanvasBudgetAcquire', { numberOfKeys: 1, lua: ACQUIRE });
      client.defineCommand('playcanvasBudgetRelease', { numberOfKeys: 1, lua: RELEASE });
      client.defineCommand('playcanvasBudgetExhaust', { numberOfKeys: 1, lua: EXHAUST });
      try {
        await client.connect();
      } catch (error) {
        client.disconnect();
        throw error;
      }
      return client as Connected;
    })();
    return this.client;
  }

  private failed(error: unknown): void {
    this.downUntil = Date.now() + REDIS_RETRY_AFTER_MS;
    this.disconnect();
    if (warned) return;
    warned = true;
    const reason = redactText(error instanceof Error ? error.message : String(error))
      .replace(/\s+/g, ' ')
      .slice(0, 200);
    this.pendingWarning =
      `the shared rate budget at ${this.shown} is unreachable (${reason}): ` +
      `this process keeps its own budget instead, so builds elsewhere with the same token may meet the API's 429s ` +
      `(Redis is tried again every ${REDIS_RETRY_AFTER_MS / 1000} s)`;
  }

  /** Ends the connection at once (no QUIT to wait for); the next call connects again. */
  disconnect(): void {
    const client = this.client;
    this.client = undefined;
    client?.then((c) => c.disconnect()).catch(() => undefined);
  }
}

const stores = new Map<string, BudgetStore>();

export function storeFor(url: string): BudgetStore {
  let store = stores.get(url);
  if (!store) {
    store = new BudgetStore(url);
    stores.set(url, store);
  }
  return store;
}

/** Closes every store's connection (the CLI's exit); a later call would connect again. */
export function closeBudgetStores(): void {
  for (const store of stores.values()) store.disconnect();
}

/** For tests: the next failure warns again, as in a new process. */
export function forgetBudgetWarning(): void {
  warned = false;
}
