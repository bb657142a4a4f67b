import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { cachedBundle } from './bundle-cache.js';
import { type BundledBuild, bundleEsmBuild } from './esm-bundle.js';

/**
 * The concatenated ES module build is bundled on a worker thread: Rollup and terser take seconds on the engine,
 * and the mock must go on answering (job polls, other downloads) meanwhile. One worker, started on first use and
 * kept (unref'd: it does not keep the process alive), so that its minified engine and Rollup cache are reused.
 */

interface Request {
  id: number;
  modules: Array<[string, string]>;
  scripts: string[];
}
type Reply = { id: number; result: BundledBuild } | { id: number; error: string };

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (b: BundledBuild) => void; reject: (e: Error) => void }>();

export function bundleOffThread(modules: ReadonlyMap<string, string>, scripts: string[]): Promise<BundledBuild> {
  return cachedBundle(modules, scripts, () => bundleNow(modules, scripts));
}

function bundleNow(modules: ReadonlyMap<string, string>, scripts: string[]): Promise<BundledBuild> {
  // loaded from its TypeScript source (the mock's own tests): a worker could not run this file, bundle here
  if (import.meta.url.endsWith('.ts')) return bundleEsmBuild(modules, scripts);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const thread = bundler();
    thread.ref();
    thread.postMessage({ id, modules: [...modules], scripts } satisfies Request);
  });
}

function bundler(): Worker {
  if (worker) return worker;
  const thread = new Worker(new URL(import.meta.url));
  thread.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) thread.unref();
    if ('error' in reply) waiting?.reject(new Error(reply.error));
    else waiting?.resolve(reply.result);
  });
  const fail = (error: Error) => {
    worker = undefined;
    for (const { reject } of pending.values()) reject(new Error(`the bundler thread failed: ${error.message}`));
    pending.clear();
  };
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`it exited with code ${code}`)));
  worker = thread;
  return thread;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (request: Request) => {
    bundleEsmBuild(new Map(request.modules), request.scripts).then(
      (result) => port.postMessage({ id: request.id, result } satisfies Reply),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ id: request.id, error: message } satisfies Reply);
      },
    );
  });
}
