/**
 * A path pattern of a `_headers` file, as Netlify and Cloudflare Pages read it: `*` (a splat) matches anything,
 * `/` included; `:name` (a placeholder) matches one path segment, one or more characters up to the next `/`.
 */
type Piece = { kind: 'char'; char: string } | { kind: 'splat' } | { kind: 'segment-first' } | { kind: 'segment-rest' };

const PLACEHOLDER = /^:[A-Za-z]\w*/;

function compile(source: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < source.length; ) {
    const placeholder = source[i] === ':' ? PLACEHOLDER.exec(source.slice(i, i + 256))?.[0] : undefined;
    if (source[i] === '*') {
      // a run of stars matches what one star matches
      if (pieces.at(-1)?.kind !== 'splat') pieces.push({ kind: 'splat' });
      i += 1;
    } else if (placeholder !== undefined) {
      pieces.push({ kind: 'segment-first' }, { kind: 'segment-rest' });
      i += placeholder.length;
    } else {
      pieces.push({ kind: 'char', char: source[i] as string });
      i += 1;
    }
  }
  return pieces;
}

/** How far a piece moves on when it reads `char`: past itself (1), not at all (0, a star), or no way (undefined). */
function advance(piece: Piece, char: string): 0 | 1 | undefined {
  if (piece.kind === 'char') return piece.char === char ? 1 : undefined;
  if (piece.kind === 'splat') return 0;
  if (char === '/') return undefined;
  return piece.kind === 'segment-first' ? 1 : 0;
}

/**
 * Matched by walking every way through the pattern at once (a Thompson automaton): time grows with the path's
 * length times the pattern's, whatever the pattern. A regular expression made of it (`.*` for each star)
 * backtracks: `/` and 35 stars then `a` held the whole process for a minute on each request.
 */
export class PathPattern {
  readonly #pieces: Piece[];
  readonly #now: Uint8Array;
  readonly #next: Uint8Array;

  constructor(readonly source: string) {
    this.#pieces = compile(source);
    this.#now = new Uint8Array(this.#pieces.length + 1);
    this.#next = new Uint8Array(this.#pieces.length + 1);
  }

  /** Marks state `at` and every state reachable from it without reading a character (a star may match nothing). */
  #enter(states: Uint8Array, at: number): void {
    for (let i = at; i <= this.#pieces.length && states[i] === 0; i++) {
      states[i] = 1;
      const kind = this.#pieces[i]?.kind;
      if (kind !== 'splat' && kind !== 'segment-rest') return;
    }
  }

  test(path: string): boolean {
    let now = this.#now;
    let next = this.#next;
    now.fill(0);
    this.#enter(now, 0);
    // by UTF-16 code unit, as the pattern was compiled
    for (let at = 0; at < path.length; at++) {
      const char = path[at] as string;
      next.fill(0);
      let alive = false;
      for (let i = 0; i < this.#pieces.length; i++) {
        if (now[i] === 0) continue;
        const step = advance(this.#pieces[i] as Piece, char);
        if (step === undefined) continue;
        this.#enter(next, i + step);
        alive = true;
      }
      if (!alive) return false;
      [now, next] = [next, now];
    }
    return now[this.#pieces.length] === 1;
  }
}

export interface HeadersRule {
  pattern: PathPattern;
  headers: Array<[string, string]>;
}

/**
 * Headers from a `_headers` file (the format Netlify and Cloudflare Pages read): a path pattern, then indented `Name:
 * value` lines.
 */
export function parseHeadersFile(text: string): HeadersRule[] {
  const rules: HeadersRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: new PathPattern(line.trim()), headers: [] });
      continue;
    }
    const match = /^\s+([^:\s]+)\s*:\s*(.*)$/.exec(line);
    if (match && rules.length > 0) rules.at(-1)?.headers.push([match[1] as string, (match[2] as string).trim()]);
  }
  return rules;
}
