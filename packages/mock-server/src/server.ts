import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createMockApp } from './app.js';
import { ArchiveStore } from './builds/archive-store.js';
import type { ClockMode } from './clock.js';
import type { FaultRule } from './faults.js';
import { defaultFixtures, type Fixtures, validateFixtures } from './fixtures.js';
import { JobIds, type JobRecord, type JobScenario, validateScenario } from './jobs.js';
import type { JournalEntry } from './journal.js';
import { checkNamespaceName, NAMESPACE_HEADER, Namespaces } from './namespaces.js';
import { validateStartOptions } from './options.js';
import type { RateLimits } from './rate-limits.js';
import type { MockOptions, MockState } from './state.js';

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

/** One namespace as a test drives it: its own jobs, faults, journal, clock, rate windows and checkpoints. */
export interface MockNamespace {
  /** The namespace's name; 'default' for the one requests without a namespace use. */
  readonly name: string;
  /** This namespace's base URL (the server's, plus /ns/<name> for a named one): use it as PLAYCANVAS_BASE_URL. */
  readonly url: string;
  /** The header that selects this namespace instead of the path prefix (empty for the default one). */
  readonly headers: Readonly<Record<string, string>>;
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
  /** This namespace back to its start; other namespaces are not touched, job ids go on. */
  reset(): void;
}

/** The server; as a namespace it is the default one. */
export interface MockServer extends MockNamespace {
  /** The base URL, such as http://127.0.0.1:41234 (https with `tls`): use it as PLAYCANVAS_BASE_URL. */
  readonly url: string;
  port: number;
  /** The fixtures in use (as loaded; branches and checkpoints created through the API are not in them). */
  readonly fixtures: Fixtures;
  /** The namespace of this name (letters, digits, '.', '_', '-'; up to 64), made on first use. */
  namespace(name: string): MockNamespace;
  /** Forgets a named namespace and all it holds. Returns whether it existed. */
  dropNamespace(name: string): boolean;
  /** Closes every open connection (keep-alive ones included) but keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** The programmatic face of one namespace. */
function namespaceApi(state: MockState, serverUrl: string): MockNamespace {
  return {
    name: state.name,
    url: `${serverUrl}${state.prefix}`,
    headers: state.prefix ? { [NAMESPACE_HEADER]: state.name } : {},
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
    setRateLimits: (limits, windowMs) =>
      state.limiter.configure({ ...state.limiter.limits, ...limits }, windowMs ?? state.limiter.windowMs),
    async archiveFile(jobId) {
      const build = state.jobs.get(jobId)?.build;
      if (!build) throw new Error(`job ${jobId} has no archive in namespace ${state.name}`);
      return (await state.archives.get(build)).file;
    },
    reset: () => state.reset(),
  };
}

export async function startMockServer(input: StartOptions = {}): Promise<MockServer> {
  const options = validateStartOptions(input);
  const fixtures = validateFixtures(options.fixtures ?? defaultFixtures());
  const archives = new ArchiveStore();
  const namespaces = new Namespaces({
    fixtures,
    options,
    archives,
    startedWall: performance.now(),
    jobIds: new JobIds(),
  });
  const app = createMockApp(namespaces, options);
  const host = options.host ?? '127.0.0.1';
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, app)
    : createHttpServer(app);
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
    const body = JSON.stringify({
      error: `Malformed HTTP request (${error.code ?? error.message}): send a well-formed HTTP/1.1 request`,
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ` +
        `${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    ...namespaceApi(namespaces.default, url),
    port,
    fixtures,
    namespace: (name) => namespaceApi(namespaces.get(checkNamespaceName(name)), url),
    dropNamespace: (name) => namespaces.drop(checkNamespaceName(name)),
    dropConnections: () => server.closeAllConnections(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => archives.close());
      return closing;
    },
  };
}
