import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createMockApp } from './app.js';
import type { ClockMode } from './clock.js';
import type { FaultRule } from './faults.js';
import { defaultFixtures, type Fixtures, validateFixtures } from './fixtures.js';
import { type JobRecord, type JobScenario, validateScenario } from './jobs.js';
import type { JournalEntry } from './journal.js';
import type { RateLimits } from './rate-limits.js';
import { type MockOptions, MockState } from './state.js';

export interface StartOptions extends MockOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM), instead of plain HTTP: the base URL and the download
   * URLs then use https. The certificate must name the host clients use (127.0.0.1 by default).
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** A job as a test sees it: what the API would answer, plus how often it was polled and where its archive is. */
export interface MockJob {
  id: number;
  kind: JobRecord['kind'];
  status: JobRecord['status'];
  polls: number;
  scenario: JobScenario;
  /** Where a finished build's or export's archive is served. */
  archiveUrl?: string;
}

export interface MockServer {
  /** The base URL, such as http://127.0.0.1:41234 (https with `tls`): use it as PLAYCANVAS_BASE_URL. */
  url: string;
  port: number;
  /** The fixtures in use (as loaded; branches and checkpoints created through the API are not in them). */
  readonly fixtures: Fixtures;
  /** Scripts a fault (checked first; a rule that could never fire throws). Returns its id. */
  addFault(rule: FaultRule): number;
  /** The next jobs follow these scenarios, one each (all checked first). */
  queueScenarios(...scenarios: JobScenario[]): void;
  journal(): JournalEntry[];
  jobs(): MockJob[];
  /** The mock's clock, epoch milliseconds. */
  now(): number;
  setClock(at: string | number, mode?: ClockMode): void;
  advanceClock(ms: number): void;
  setRateLimits(limits: Partial<RateLimits>, windowMs?: number): void;
  /** The file the archive of a finished job is served from (generated on demand). */
  archiveFile(jobId: number): Promise<string>;
  reset(): void;
  /** Closes every open connection (keep-alive ones included) but keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startMockServer(options: StartOptions = {}): Promise<MockServer> {
  const fixtures = validateFixtures(options.fixtures ?? defaultFixtures());
  const state = new MockState(fixtures, options);
  const app = createMockApp(state);
  const host = options.host ?? '127.0.0.1';
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, app) : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 2000;
  // Requests too malformed for Express to see (bad request line, broken framing) still get a JSON error.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: `Malformed HTTP request (${error.code ?? error.message}): send a well-formed HTTP/1.1 request` });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    fixtures,
    addFault: (rule) => state.faults.add(rule)[0] as number,
    queueScenarios: (...scenarios) => state.jobs.queueScenarios(scenarios.map(validateScenario)),
    journal: () => state.journal.list(),
    jobs: () =>
      state.jobs.all().map((j) => ({
        id: j.id,
        kind: j.kind,
        status: j.status,
        polls: j.polls,
        scenario: j.scenario,
        ...(j.resultUrl ? { archiveUrl: j.resultUrl } : {}),
      })),
    now: () => state.clock.now(),
    setClock: (at, mode) => {
      if (mode) state.clock.setMode(mode);
      state.clock.set(at);
    },
    advanceClock: (ms) => state.clock.advance(ms),
    setRateLimits: (limits, windowMs) => state.limiter.configure({ ...state.limiter.limits, ...limits }, windowMs ?? state.limiter.windowMs),
    async archiveFile(jobId) {
      const build = state.jobs.get(jobId)?.build;
      if (!build) throw new Error(`job ${jobId} has no archive`);
      return (await state.archives.get(build)).file;
    },
    reset: () => state.reset(),
    dropConnections: () => server.closeAllConnections(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => state.archives.close());
      return closing;
    },
  };
}
