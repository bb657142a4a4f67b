import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import log from 'gulplog';

/** gulplog's typings leave out on/off. */
const gulpLog = log as unknown as {
  on(level: 'info', l: (line: string) => void): void;
  off(level: 'info', l: (line: string) => void): void;
};

export type Phase = 'create job' | 'poll' | 'download' | 'read archive' | 'write files';

/**
 * What a case must end with. `message` is the exact text (ports shown as PORT), where `{...}` stands for a
 * part that varies between runs; docs/RELIABILITY.md shows these texts as they are.
 */
export type Expected = { outcome: 'recovers' } | { outcome: 'fails'; error: string; message: string };

export interface MatrixCase {
  phase: Phase;
  fault: string;
  /** Scripts the fault on the mock. */
  arrange(server: MockServer): void;
  /** Extra plugin options for the case (an AbortSignal, shorter timeouts), made when the case starts. */
  options?: () => Record<string, unknown>;
  /** For 'write files': makes the output folder unusable. */
  blockOutput?: boolean;
  expected: Expected;
}

/** The message template as a pattern: literal text, with `{...}` matching anything. */
export function messagePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`, 's');
}

export const once = { times: 1 };
/**
 * An AbortSignal that fires shortly after the plugin logs a line matching `pattern`: mid-way through a phase, whatever
 * the machine's speed.
 */
export const abortAfterLog = (pattern: RegExp, ms = 100) => {
  const controller = new AbortController();
  const listen = (line: string) => {
    if (!pattern.test(line)) return;
    gulpLog.off('info', listen);
    setTimeout(() => controller.abort(), ms);
  };
  gulpLog.on('info', listen);
  controller.signal.addEventListener('abort', () => gulpLog.off('info', listen));
  return { signal: controller.signal };
};
export const abortAfter = (ms: number) => ({ signal: AbortSignal.timeout(ms) });

export const ARCHIVE_URL = 'http://127.0.0.1:PORT/downloads/apps/500001/space-race.zip';

export const statusCases = (
  phase: Phase,
  route: 'apps.download' | 'jobs.get' | 'download',
  persistent: (status: number) => Expected,
): MatrixCase[] =>
  [500, 502, 503].flatMap((status) => [
    {
      phase,
      fault: `${status} once`,
      arrange: (s: MockServer) => void s.addFault({ route, fault: { type: 'status', status }, ...once }),
      expected: route === 'apps.download' ? persistentPostFailure(status) : { outcome: 'recovers' as const },
    },
    {
      phase,
      fault: `${status} persistently`,
      arrange: (s: MockServer) => void s.addFault({ route, fault: { type: 'status', status } }),
      expected: route === 'apps.download' ? persistentPostFailure(status) : persistent(status),
    },
  ]);

export const STATUS_TEXT: Record<number, string> = {
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/**
 * The POST that creates a job is not retried on 5xx: the job may exist, and a second one would cost a strict request.
 */
export function persistentPostFailure(status: number): Expected {
  return {
    outcome: 'fails',
    error: 'ApiError',
    message:
      `PlayCanvas API: POST /api/apps/download answered ${status} "${STATUS_TEXT[status]}": ` +
      'the PlayCanvas service failed; try again later',
  };
}
