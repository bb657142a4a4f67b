import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './http-error.js';
import { MockState, type SharedState } from './state.js';

/**
 * Namespaces let several clients share one mock: each has its own jobs, journal, faults, scenarios, clock,
 * rate windows, branches and checkpoints. A client names its namespace with a header (for code that sets
 * headers) or with a path prefix in its base URL (for tools that take only a URL); neither means the default
 * namespace, which behaves as a mock without namespaces.
 */
export const NAMESPACE_HEADER = 'X-Mock-Namespace';
export const DEFAULT_NAMESPACE = 'default';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PREFIXED = /^\/ns\/([^/?#]*)(.*)$/s;

export class NamespaceError extends Error {
  override name = 'NamespaceError';
}

/** The name, checked: it goes into URLs and journal lines as it is. */
export function checkNamespaceName(name: unknown, from = 'the namespace'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    const shown =
      typeof name === 'string' ? JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name) : String(name);
    throw new NamespaceError(
      `Invalid namespace ${shown} (${from}): use 1 to 64 letters, digits, '.', '_' or '-', ` +
        'starting with a letter or digit',
    );
  }
  return name;
}

export const namespacePrefix = (name: string): string => (name === DEFAULT_NAMESPACE ? '' : `/ns/${name}`);

/** The namespaces of one server: the default one always; named ones made on first use, at most `max`. */
export class Namespaces {
  readonly default: MockState;
  private readonly named = new Map<string, MockState>();
  private readonly max: number;
  private readonly idleMs: number;

  constructor(private readonly shared: SharedState) {
    this.default = new MockState(shared, DEFAULT_NAMESPACE, '');
    this.max = shared.options.namespaces?.max ?? 100;
    this.idleMs = shared.options.namespaces?.idleMs ?? 600_000;
  }

  /** The namespace of this (checked) name, made if new; when all places are taken, an idle one goes. */
  get(name: string): MockState {
    if (name === DEFAULT_NAMESPACE) return this.default;
    const found = this.named.get(name);
    if (found) return found;
    if (this.named.size >= this.max) this.forgetIdlest();
    const made = new MockState(this.shared, name, namespacePrefix(name), this.clockForNew());
    this.named.set(name, made);
    return made;
  }

  /** Forgets a named namespace and everything in it. Returns whether it existed. */
  drop(name: string): boolean {
    if (name === DEFAULT_NAMESPACE)
      throw new NamespaceError('The default namespace cannot be dropped: reset it instead');
    return this.named.delete(name);
  }

  names(): string[] {
    return [...this.named.keys()];
  }

  private forgetIdlest(): void {
    let idlest: MockState | undefined;
    for (const space of this.named.values()) if (!idlest || space.lastUsedWall < idlest.lastUsedWall) idlest = space;
    const idleFor = idlest ? performance.now() - idlest.lastUsedWall : 0;
    if (idlest && idleFor >= this.idleMs) {
      this.named.delete(idlest.name);
      return;
    }
    const wait = Math.max(1, Math.ceil((this.idleMs - idleFor) / 1000));
    const fixes = 'drop finished ones (DELETE /ns/<name>/__mock/namespace), reuse names, or raise namespaces.max';
    throw new HttpError(
      503,
      `The mock holds ${this.max} namespaces, all used in the last ${this.idleMs} ms: ${fixes}`,
      {
        'Retry-After': String(wait),
      },
    );
  }

  /** A new namespace's clock: a frozen one starts where configured (runs repeat), a real-time one now. */
  private clockForNew() {
    const configured = this.shared.options.clock ?? {};
    if (configured.mode !== 'realtime') return configured;
    return {
      ...configured,
      start: this.default.clock.startedAt + Math.floor(performance.now() - this.shared.startedWall),
    };
  }
}

/** The namespace a request chose; selectNamespace put it there. */
export function stateOf(res: Response): MockState {
  return res.locals.state as MockState;
}

/**
 * Finds the request's namespace (path prefix /ns/<name>/ or the X-Mock-Namespace header; both must agree),
 * strips the prefix so the routes see the plain path, and leaves the namespace in res.locals.state.
 */
export function selectNamespace(namespaces: Namespaces) {
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      const header = req.headers[NAMESPACE_HEADER.toLowerCase()];
      const fromHeader =
        header === undefined ? undefined : checkNamespaceName(header, `the ${NAMESPACE_HEADER} header`);
      const prefixed = PREFIXED.exec(req.url);
      const fromPath = prefixed ? checkNamespaceName(prefixed[1], 'the path prefix /ns/<name>/') : undefined;
      if (fromHeader !== undefined && fromPath !== undefined && fromHeader !== fromPath) {
        throw new NamespaceError(
          `The ${NAMESPACE_HEADER} header names ${fromHeader} but the path prefix names ${fromPath}: ` +
            'use one, or the same name in both',
        );
      }
      if (prefixed) {
        const rest = prefixed[2] ?? '';
        req.url = rest.startsWith('/') ? rest : `/${rest}`;
      }
      const state = namespaces.get(fromPath ?? fromHeader ?? DEFAULT_NAMESPACE);
      state.lastUsedWall = performance.now();
      res.locals.state = state;
      next();
    } catch (error) {
      next(error instanceof NamespaceError ? new HttpError(400, error.message) : error);
    }
  };
}
