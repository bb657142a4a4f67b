export interface JournalEntry {
  seq: number;
  /** Milliseconds since the server started, by the wall clock: shows how long a client waited. */
  wallMs: number;
  /** The mock's clock when the request arrived. */
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  route: string;
  headers: Record<string, string>;
  /** The JSON body as sent; a large or deeply nested one is kept as a short preview instead. */
  body: unknown;
  status: number;
  fault?: string;
}

export interface JournalLimits {
  /** Most entries kept; the oldest go first. Default 10,000. */
  maxEntries?: number;
  /** Most bytes of request bodies kept, all entries together. Default 8 MiB. */
  maxBodyBytes?: number;
}

/** A body larger than this is kept as a preview. */
const BODY_KEEP_BYTES = 16 * 1024;
/** A body nested deeper than this is kept as a preview: serving it back must not overflow the stack. */
const BODY_MAX_DEPTH = 64;

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

/** Header values with every credential replaced, so a journal can be printed or saved safely. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (SECRET_HEADERS.has(name.toLowerCase())) {
      const scheme = /^(\w+)\s/.exec(text)?.[1];
      out[name] = scheme ? `${scheme} [redacted]` : '[redacted]';
    } else {
      out[name] = text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
    }
  }
  return out;
}

/** How deep a parsed JSON value nests, found without recursion (so no input can overflow the stack here). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > BODY_MAX_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** What the journal keeps of a body, and its weight in bytes. */
export function keptBody(body: unknown, rawBytes: number): { body: unknown; bytes: number } {
  if (body === undefined) return { body: undefined, bytes: 0 };
  if (depthOf(body) > BODY_MAX_DEPTH)
    return { body: { truncated: `nested deeper than ${BODY_MAX_DEPTH} levels`, bytes: rawBytes }, bytes: 100 };
  const text = JSON.stringify(body);
  if (text.length > BODY_KEEP_BYTES)
    return { body: { truncated: `${text.length} bytes`, preview: text.slice(0, 1024) }, bytes: 1100 };
  return { body, bytes: text.length };
}

/** The request journal, bounded in entries and in body bytes. */
export class Journal {
  private entries: Array<JournalEntry & { weight: number }> = [];
  private nextSeq = 1;
  private bodyBytes = 0;
  private readonly maxEntries: number;
  private readonly maxBodyBytes: number;

  constructor(limits: JournalLimits = {}) {
    this.maxEntries = limits.maxEntries ?? 10_000;
    this.maxBodyBytes = limits.maxBodyBytes ?? 8 * 1024 * 1024;
  }

  add(entry: Omit<JournalEntry, 'seq' | 'body'>, body: unknown, rawBytes: number): JournalEntry {
    const kept = keptBody(body, rawBytes);
    const full = { seq: this.nextSeq++, ...entry, body: kept.body, weight: kept.bytes };
    this.entries.push(full);
    this.bodyBytes += kept.bytes;
    while (this.entries.length > this.maxEntries || (this.bodyBytes > this.maxBodyBytes && this.entries.length > 1)) {
      this.bodyBytes -= (this.entries.shift() as { weight: number }).weight;
    }
    const { weight: _w, ...shown } = full;
    return shown;
  }

  list(): JournalEntry[] {
    return this.entries.map(({ weight: _w, ...entry }) => entry);
  }

  clear(): void {
    this.entries = [];
    this.bodyBytes = 0;
  }
}
