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
  body: unknown;
  status: number;
  fault?: string;
}

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
      out[name] = text;
    }
  }
  return out;
}

export class Journal {
  private entries: JournalEntry[] = [];
  private nextSeq = 1;

  constructor(private maxEntries = 10_000) {}

  add(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const full = { seq: this.nextSeq++, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.maxEntries) this.entries.shift();
    return full;
  }

  list(): JournalEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
