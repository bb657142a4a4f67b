import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp } from './app.js';
import type { FaultRule } from './faults.js';
import { defaultFixtures, validateFixtures } from './fixtures.js';
import type { JobScenario } from './jobs.js';
import type { JournalEntry } from './journal.js';
import { type MockOptions, MockState } from './state.js';

export interface StartOptions extends MockOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface MockServer {
  /** The base URL, such as http://127.0.0.1:41234: use it as PLAYCANVAS_BASE_URL. */
  url: string;
  port: number;
  state: MockState;
  addFault(rule: FaultRule): number;
  queueScenarios(...scenarios: JobScenario[]): void;
  journal(): JournalEntry[];
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
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
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
    url: `http://${urlHost}:${port}`,
    port,
    state,
    addFault: (rule) => state.faults.add(rule),
    queueScenarios: (...scenarios) => state.jobs.queueScenarios(scenarios),
    journal: () => state.journal.list(),
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
