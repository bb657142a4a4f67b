import { HARDENING, HEADER_ONLY } from './csp-options.js';

/** A source in the policy and why the build needs it. */
export interface PolicySource {
  directive: string;
  source: string;
  why: string;
}

export interface CspReport {
  /** The policy as written into the meta element and the headers file. */
  policy: string;
  /** Every source the build needs, with the reason; the options' extras are listed with the reason "option". */
  sources: PolicySource[];
}

export class PolicyBuilder {
  readonly sources: PolicySource[] = [];
  private readonly seen = new Set<string>();
  private readonly order = [
    'default-src',
    'script-src',
    'style-src',
    'img-src',
    'connect-src',
    'media-src',
    'font-src',
    'worker-src',
    'manifest-src',
    'frame-src',
  ];

  /** A source the build needs; the same source may be needed for several reasons, each listed. */
  add(directive: string, source: string, why: string): void {
    const key = `${directive}\n${source}\n${why}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.sources.push({ directive, source, why });
  }

  render(extra: Map<string, string[]>, forMeta: boolean): string {
    const directives = new Map<string, Set<string>>();
    const push = (directive: string, source: string) => {
      const list = directives.get(directive) ?? new Set();
      list.add(source);
      directives.set(directive, list);
    };
    for (const s of this.sources) push(s.directive, s.source);
    for (const [directive, sources] of extra) {
      if (!directives.has(directive)) directives.set(directive, new Set());
      for (const source of sources) push(directive, source);
    }
    for (const [directive, source] of HARDENING) if (!directives.has(directive)) push(directive, source);
    const rank = (d: string) => (this.order.includes(d) ? this.order.indexOf(d) : this.order.length);
    return [...directives]
      .filter(([directive]) => !(forMeta && HEADER_ONLY.has(directive)))
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([directive, sources]) => (sources.size > 0 ? `${directive} ${[...sources].join(' ')}` : directive))
      .join('; ');
  }
}
