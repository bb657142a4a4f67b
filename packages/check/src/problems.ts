import type { PlayableRecord } from './playable-stand-in.js';

/** What can go wrong while a build boots, as the check reports it. */
export type Problem =
  /** console.error, or an engine error it logged */
  | { kind: 'console-error'; text: string; location?: string }
  /** an uncaught exception or unhandled rejection in the page */
  | { kind: 'exception'; message: string }
  /** a request that failed (network error, aborted) or answered 4xx/5xx */
  | { kind: 'failed-request'; url: string; status?: number; reason: string }
  /** the Content-Security-Policy refused something (or, report-only, would have: then `policy` says which) */
  | { kind: 'csp-violation'; directive: string; blocked: string; source?: string; reportOnly?: true; policy?: string }
  /** the web app manifest the page links could not be loaded or read */
  | { kind: 'manifest'; message: string }
  /**
   * the app's canvas showed one colour once it ran (pixels within BLANK_TOLERANCE); `allowWith`: the option that allows
   * it
   */
  | { kind: 'blank-frame'; colour: string; width: number; height: number; allowWith: string }
  /**
   * the page asked for WebGL contexts (`asked`) and the browser created none; `said`: the browser's reasons, when it
   * gave some
   */
  | { kind: 'webgl'; asked: string[]; said?: string[] }
  /**
   * an error before the app existed, and nothing left loading: the check stopped there rather than wait for the timeout
   */
  | { kind: 'stopped'; stage: 'engine' | 'app'; waitedMs: number }
  /** a playable broke its network's contract: started before the container showed it, called MRAID before 'ready'... */
  | { kind: 'playable'; network: string; message: string }
  /**
   * the app did not get as far as it should in time; `busy`: the page stopped answering (a main thread that never
   * yields)
   */
  | { kind: 'timeout'; stage: 'engine' | 'app' | 'scene' | 'frames' | 'ready' | 'busy'; waitedMs: number };

export interface RequestRecord {
  url: string;
  method: string;
  resourceType: string;
  /** The status, or 0 when the request failed without an answer. */
  status: number;
}

export interface CheckResult {
  ok: boolean;
  /** From navigation to the last frame waited for. */
  bootMs: number;
  /** Frames the app had rendered when the check ended. */
  frames: number;
  /** The engine's version, as the page reported it. */
  engineVersion?: string;
  problems: Problem[];
  requests: RequestRecord[];
  /** Where the screenshot was written, when one was asked for. */
  screenshot?: string;
  /** With the playable option: what the network's stand-in saw. */
  playable?: PlayableRecord;
}

const STAGES = {
  engine: 'the engine (pc) never loaded',
  app: 'the engine loaded, but no application was created (or it got no graphics device)',
  scene: 'the application started, but its scene never loaded',
  frames: 'the scene loaded, but not enough frames were rendered',
  ready: 'the app ran, but the condition given as `until` never held',
  busy: 'the page stopped answering, its main thread kept busy (a script that never yields?); the page was closed',
};

/** A passed check in the words every entry point logs: "booted in 1.4 s (10 frames, engine 2.23.3)". */
export function describeBoot(result: Pick<CheckResult, 'bootMs' | 'frames' | 'engineVersion'>): string {
  return (
    `booted in ${(result.bootMs / 1000).toFixed(1)} s (${result.frames} frames, ` +
    `engine ${result.engineVersion ?? 'unknown'})`
  );
}

export function describeProblem(problem: Problem): string {
  switch (problem.kind) {
    case 'console-error':
      return `console error: ${problem.text}${problem.location ? ` (${problem.location})` : ''}`;
    case 'exception':
      return `uncaught exception: ${problem.message}`;
    case 'failed-request':
      return (
        `request failed: ${problem.url} ` +
        `(${problem.status ? `${problem.status} ${problem.reason}` : problem.reason})`
      );
    case 'csp-violation':
      return (
        `Content-Security-Policy${problem.reportOnly ? ' (report-only)' : ''} violation: ` +
        `${problem.directive} ${problem.reportOnly ? 'would refuse' : 'refused'} ` +
        `${problem.blocked}${problem.source ? ` (from ${problem.source})` : ''}`
      );
    case 'manifest':
      return `web app manifest: ${problem.message}`;
    case 'blank-frame':
      return (
        `blank first frame: the canvas (${problem.width}×${problem.height}) shows one colour, ` +
        `${problem.colour}, everywhere: nothing was drawn (nothing in view of a camera?) or WebGL drew nothing; ` +
        `if the game starts blank on purpose, allow it with ${problem.allowWith}`
      );
    case 'webgl':
      return (
        `no WebGL: the page asked for ${problem.asked.map((type) => `a ${type}`).join(', then ')} context, ` +
        `and the browser created none${problem.said?.length ? ` (it said: ${problem.said.join('; ')})` : ''}: ` +
        'the check renders WebGL in software (SwiftShader), which this browser does not allow; ' +
        'use a Chromium or Chrome that has WebGL'
      );
    case 'playable':
      return `playable (${problem.network}): ${problem.message}`;
    case 'stopped':
      return (
        `stopped after ${problem.waitedMs} ms: ${STAGES[problem.stage]}; ` +
        'after the errors above nothing was left loading, so it never would (the check did not wait for the timeout)'
      );
    case 'timeout':
      return `timed out after ${problem.waitedMs} ms: ${STAGES[problem.stage]}`;
  }
}
