import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

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

/** Headers from a `_headers` file (the format Netlify and Cloudflare Pages read): a path pattern, then indented `Name: value` lines. */
export function parseHeadersFile(text: string): Array<{ pattern: RegExp; headers: Array<[string, string]> }> {
  const rules: Array<{ pattern: RegExp; headers: Array<[string, string]> }> = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const escaped = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${escaped}$`), headers: [] });
      continue;
    }
    const match = /^\s+([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (match && rules.length > 0) rules.at(-1)?.headers.push([match[1] as string, (match[2] as string).trim()]);
  }
  return rules;
}

async function readEntry(files: BuildFiles, rel: string): Promise<{ size: number; open: () => NodeJS.ReadableStream | Buffer } | undefined> {
  if (typeof files === 'string') {
    const root = resolve(files);
    const path = resolve(root, rel);
    if (path !== root && !path.startsWith(root + sep)) return undefined;
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? { size: info.size, open: () => createReadStream(path) } : undefined;
  }
  const entry = files.get(rel);
  if (entry === undefined) return undefined;
  if (Buffer.isBuffer(entry)) return { size: entry.length, open: () => entry };
  const info = await stat(entry.path);
  return { size: info.size, open: () => createReadStream(entry.path) };
}

/** Serves the build on 127.0.0.1 (an ephemeral port): paths as in the build, query strings ignored, `_headers` applied. */
export async function serveBuild(files: BuildFiles, extra: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const headersFile =
    typeof files === 'string'
      ? await readFile(join(files, '_headers'), 'utf8').catch(() => undefined)
      : (files.get('_headers') as Buffer | undefined)?.toString('utf8');
  const rules = headersFile ? parseHeadersFile(headersFile) : [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const entry = rel === '_headers' ? undefined : await readEntry(files, rel);
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(entry ? 405 : 404, { 'content-type': 'text/plain' }).end(entry ? 'Method not allowed' : 'Not found');
      return;
    }
    res.setHeader('content-type', TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('content-length', String(entry.size));
    res.setHeader('cache-control', 'no-store');
    for (const rule of rules) if (rule.pattern.test(`/${rel}`)) for (const [name, value] of rule.headers) res.setHeader(name, value);
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
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
