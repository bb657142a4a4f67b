import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { buildRoot, fileInside } from './build-path.js';
import { parseHeadersFile } from './headers-file.js';

interface Entry {
  size: number;
  open: () => NodeJS.ReadableStream | Buffer;
}

/** A build to serve: a folder, or files by their path in the build (contents, or a file on disk holding them). */
export type BuildFiles = string | ReadonlyMap<string, Buffer | { path: string }>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.glb': 'model/gltf-binary',
  '.txt': 'text/plain; charset=utf-8',
};

async function readEntry(files: BuildFiles, root: string, rel: string): Promise<Entry | undefined> {
  if (typeof files === 'string') {
    const file = await fileInside(root, rel);
    return file && { size: file.size, open: () => createReadStream(file.path) };
  }
  const entry = files.get(rel);
  if (entry === undefined) return undefined;
  if (Buffer.isBuffer(entry)) return { size: entry.length, open: () => entry };
  const info = await stat(entry.path);
  return { size: info.size, open: () => createReadStream(entry.path) };
}

/** The `_headers` file's text, when the build has one (a regular file: a link is not followed here either). */
async function headersFileOf(files: BuildFiles, root: string): Promise<string> {
  if (typeof files !== 'string') {
    const entry = files.get('_headers');
    return entry === undefined ? '' : Buffer.isBuffer(entry) ? entry.toString('utf8') : readFile(entry.path, 'utf8');
  }
  const file = await fileInside(root, '_headers');
  return file ? readFile(file.path, 'utf8') : '';
}

/**
 * Serves the build on 127.0.0.1 (an ephemeral port): paths as in the build, query strings ignored, `_headers`
 * applied. Of a folder, only its regular files (no symbolic links); only to requests naming this server as Host.
 */
export async function serveBuild(
  files: BuildFiles,
  extra: Record<string, string> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const root = typeof files === 'string' ? await buildRoot(files, 'index.html') : '';
  const rules = parseHeadersFile(await headersFileOf(files, root));
  let hosts: string[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // a page elsewhere that rebinds its own name to 127.0.0.1 reaches this port, but under its own Host
    if (!hosts.includes(String(req.headers.host).toLowerCase())) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: unknown Host');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const entry = rel === '_headers' ? undefined : await readEntry(files, root, rel);
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(entry ? 405 : 404, { 'content-type': 'text/plain' })
        .end(entry ? 'Method not allowed' : 'Not found');
      return;
    }
    res.setHeader('content-type', TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('content-length', String(entry.size));
    res.setHeader('cache-control', 'no-store');
    for (const rule of rules)
      if (rule.pattern.test(`/${rel}`)) for (const [name, value] of rule.headers) res.setHeader(name, value);
    for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const body = entry.open();
    if (Buffer.isBuffer(body)) res.end(body);
    else body.pipe(res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
