import { DEFAULT_TOKEN, type MockServer, type StartOptions, startMockServer } from '../src/index.js';

export { DEFAULT_TOKEN };

export interface CallOptions {
  token?: string | null | undefined;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
}

/** One HTTP request to a real listening mock, with the development token unless told otherwise. */
/** Takes a server or one of its namespaces (its url carries the /ns/<name> prefix). */
export async function call(
  server: Pick<MockServer, 'url'>,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  // the admin API takes only JSON requests when they change something, even without a body
  if (path.startsWith('/__mock') && method !== 'GET') headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Error(`expected JSON from ${method} ${path}, got ${res.status}: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, json };
}

export const BUILD = { project_id: 1000, name: 'Space Race', scenes: [2000, 2001] };

/** Starts a build and polls it to completion; returns the finished job. */
export async function completeBuild(
  server: Pick<MockServer, 'url'>,
  body: Record<string, unknown> = BUILD,
  token?: string,
): Promise<any> {
  const started = await call(server, 'POST', '/api/apps/download', { body, token });
  if (started.status !== 201) throw new Error(`build did not start: ${started.status} ${JSON.stringify(started.json)}`);
  for (let i = 0; i < 20; i++) {
    const job = await call(server, 'GET', `/api/jobs/${started.json.id}`, { token });
    if (job.json.status !== 'running') return job.json;
  }
  throw new Error('job did not finish in 20 polls');
}

export async function withServer(options: StartOptions, run: (server: MockServer) => Promise<void>): Promise<void> {
  const server = await startMockServer(options);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

export async function fetchBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
