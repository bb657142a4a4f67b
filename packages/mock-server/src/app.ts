import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { HttpError } from './http-error.js';
import { redactHeaders } from './journal.js';
import { type Namespaces, selectNamespace, stateOf } from './namespaces.js';
import { adminRouter } from './routes/admin.js';
import { apiRouter } from './routes/api.js';
import { downloadsRouter } from './routes/downloads.js';
import type { MockOptions } from './state.js';

/** Records every API and download request in its namespace's journal and, if asked, logs one line for it. */
function recordRequests(log: MockOptions['log']) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/__mock/')) {
      next();
      return;
    }
    const state = stateOf(res);
    const started = performance.now();
    const at = state.clock.iso();
    const path = req.originalUrl.split('?')[0] ?? req.path;
    res.on('close', () => {
      const status = res.headersSent ? res.statusCode : 0;
      const entry = {
        wallMs: Math.round(started - state.startedWall),
        at,
        method: req.method,
        path: path.length > 2000 ? `${path.slice(0, 2000)}…` : path,
        query: { ...req.query },
        route: (res.locals.route as string | undefined) ?? 'unknown',
        headers: redactHeaders(req.headers),
        status,
        ...(res.locals.fault ? { fault: res.locals.fault as string } : {}),
      };
      state.journal.add(entry, req.body, Number(req.headers['content-length'] ?? 0));
      if (log) {
        log(
          `${req.method} ${entry.path} ${status || 'dropped'} ` +
            `${Math.round(performance.now() - started)}ms${res.locals.fault ? ` fault=${res.locals.fault}` : ''}`,
        );
      }
    });
    next();
  };
}

/** Every error is a JSON body: the documented {"error": "..."}. */
function jsonErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const e = error as { status?: number; type?: string; message?: string; limit?: number };
  if (error instanceof HttpError) {
    res.status(error.status).set(error.headers).json({ error: error.message });
  } else if (e.type === 'entity.parse.failed') {
    res
      .status(400)
      .json({ error: `Malformed JSON body: ${e.message}. Send valid JSON with 'Content-Type: application/json'` });
  } else if (e.type === 'entity.too.large') {
    res.status(413).json({ error: `Request body too large: the limit is ${e.limit} bytes` });
  } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json({ error: `Unsupported body encoding: ${e.message}. Send UTF-8 JSON` });
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json({ error: e.message ?? 'Bad request' });
  } else {
    res.status(500).json({ error: `Internal mock error: ${e.message ?? String(error)}` });
  }
}

/** A body sent with another Content-Type would be silently ignored by the JSON parser: refuse it instead. */
function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    next(
      new HttpError(
        400,
        `Request body must be JSON: got Content-Type ${JSON.stringify(req.headers['content-type'] ?? 'none')}; ` +
          `send 'Content-Type: application/json'`,
      ),
    );
    return;
  }
  next();
}

export function createMockApp(namespaces: Namespaces, options: MockOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(selectNamespace(namespaces));
  app.use(recordRequests(options.log));
  const json = express.json({ limit: options.bodyLimit ?? '256kb' });
  app.use('/api', requireJsonContentType, json);
  app.use(apiRouter());
  app.use('/downloads', downloadsRouter());
  app.use('/__mock', json, adminRouter(namespaces));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(
      new HttpError(
        404,
        `Not found: ${req.method} ${req.originalUrl.split('?')[0]}. The API is under /api, ` +
          `the mock's admin API under /__mock (in a namespace: /ns/<name>/api, /ns/<name>/__mock)`,
      ),
    );
  });
  app.use(jsonErrors);
  return app;
}
