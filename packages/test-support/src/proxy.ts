import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';
import type { KeyPair } from './certificates.js';

/** One request a proxy saw: a tunnel (CONNECT host:port) or a forwarded request (its absolute URL). */
export interface ProxyLogEntry {
  method: string;
  target: string;
  /** The Proxy-Authorization it came with: none, the expected one, or another. */
  credentials: 'none' | 'right' | 'wrong';
}

export interface TestProxy {
  /** http://127.0.0.1:PORT (https with `tls`), without credentials. */
  url: string;
  /** The URL with the user and password the proxy asks for (the same as `url` when it asks for none). */
  urlWithCredentials: string;
  /** Everything it was asked, in order: its own record, proof of which hosts went through it. */
  log: ProxyLogEntry[];
  /** The host:port of every tunnel it was asked for. */
  tunnels(): string[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Asked for in Proxy-Authorization: a request without them, or with others, is answered 407. */
  credentials?: { user: string; password: string };
  /** Tunnels to these host:port targets are refused with 403, as a corporate proxy's rules would. */
  deny?: string[];
  /** Speak TLS to clients (an https:// proxy) with this certificate. */
  tls?: KeyPair;
}

/** A real forward proxy (the `proxy` package: CONNECT tunnels and plain-HTTP forwarding) on a loopback port. */
export async function startProxy({ credentials, deny = [], tls }: ProxyOptions = {}): Promise<TestProxy> {
  const expected =
    credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const credentialsOf = (req: IncomingMessage): ProxyLogEntry['credentials'] => {
    const given = req.headers['proxy-authorization'];
    return given === undefined ? 'none' : given === expected ? 'right' : 'wrong';
  };
  const server = createProxy(tls ? createHttpsServer(tls) : createHttpServer());
  if (expected) server.authenticate = (req) => credentialsOf(req) === 'right';
  const log: ProxyLogEntry[] = [];
  // Ahead of the proxy's own listeners, so every request is logged, the refused ones too.
  server.prependListener('request', (req: IncomingMessage) =>
    log.push({ method: req.method ?? '', target: req.url ?? '', credentials: credentialsOf(req) }),
  );
  const [tunnel] = server.listeners('connect') as Array<(req: IncomingMessage, socket: Socket, head: Buffer) => void>;
  server.removeAllListeners('connect');
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    log.push({ method: 'CONNECT', target: req.url ?? '', credentials: credentialsOf(req) });
    if (deny.includes(req.url ?? '')) socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    else tunnel?.call(server, req, socket, head);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urlWithCredentials = credentials
    ? url.replace('//', `//${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`)
    : url;
  return {
    url,
    urlWithCredentials,
    log,
    tunnels: () => log.filter((entry) => entry.method === 'CONNECT').map((entry) => entry.target),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
