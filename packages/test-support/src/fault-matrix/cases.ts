import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import log from 'gulplog';

/** gulplog's typings leave out on/off. */
const gulpLog = log as unknown as { on(level: 'info', l: (line: string) => void): void; off(level: 'info', l: (line: string) => void): void };

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

const once = { times: 1 };
/** An AbortSignal that fires shortly after the plugin logs a line matching `pattern`: mid-way through a phase, whatever the machine's speed. */
const abortAfterLog = (pattern: RegExp, ms = 100) => {
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
const abortAfter = (ms: number) => ({ signal: AbortSignal.timeout(ms) });

const ARCHIVE_URL = 'http://127.0.0.1:PORT/downloads/apps/500001/space-race.zip';

const statusCases = (phase: Phase, route: 'apps.download' | 'jobs.get' | 'download', persistent: (status: number) => Expected): MatrixCase[] =>
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

const STATUS_TEXT: Record<number, string> = { 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable' };

/** The POST that creates a job is not retried on 5xx: the job may exist, and a second one would cost a strict request. */
function persistentPostFailure(status: number): Expected {
  return {
    outcome: 'fails',
    error: 'ApiError',
    message: `PlayCanvas API: POST /api/apps/download answered ${status} "${STATUS_TEXT[status]}": the PlayCanvas service failed; try again later`,
  };
}

export const CASES: MatrixCase[] = [
  // create job
  {
    phase: 'create job',
    fault: 'latency beyond the request timeout',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'latency', ms: 3000 }, ...once }),
    options: () => ({ requestTimeout: 300 }),
    expected: {
      outcome: 'fails',
      error: 'TimeoutError',
      message: 'POST http://127.0.0.1:PORT/api/apps/download: no answer within 300 ms (1 try); check the network or raise requestTimeout',
    },
  },
  {
    phase: 'create job',
    fault: '429 once',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, resetIn: 1 }, ...once }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'create job',
    fault: '429 persistently',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, resetIn: 1 } }),
    options: () => ({ retry: { rateLimitRetries: 1 } }),
    expected: {
      outcome: 'fails',
      error: 'RateLimitError',
      message: 'POST /api/apps/download is still rate limited (429) after 2 answers: run fewer builds at once or wait for the window to reset',
    },
  },
  ...statusCases('create job', 'apps.download', () => ({ outcome: 'recovers' })),
  {
    phase: 'create job',
    fault: 'connection reset',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'reset' }, ...once }),
    expected: {
      outcome: 'fails',
      error: 'NetworkError',
      message:
        'Cannot reach the PlayCanvas API: POST http://127.0.0.1:PORT/api/apps/download failed: the connection was reset (ECONNRESET) after 1 try; check the base URL (PLAYCANVAS_BASE_URL) and the network',
    },
  },
  {
    phase: 'create job',
    fault: 'abort mid-way',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'latency', ms: 3000 } }),
    options: () => abortAfter(150),
    expected: { outcome: 'fails', error: 'AbortError', message: "Aborted while building project 1000: the caller's signal fired" },
  },
  // poll
  {
    phase: 'poll',
    fault: 'latency beyond the request timeout, once',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'latency', ms: 3000 }, ...once }),
    options: () => ({ requestTimeout: 300 }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'poll',
    fault: 'latency beyond the request timeout, persistently',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'latency', ms: 3000 } }),
    options: () => ({ requestTimeout: 200 }),
    expected: {
      outcome: 'fails',
      error: 'TimeoutError',
      message: 'GET http://127.0.0.1:PORT/api/jobs/500001: no answer within 200 ms (4 tries); check the network or raise requestTimeout (job 500001)',
    },
  },
  {
    phase: 'poll',
    fault: '429 once',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'status', status: 429, resetIn: 1 }, ...once }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'poll',
    fault: '429 persistently',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'status', status: 429, resetIn: 1 } }),
    options: () => ({ retry: { rateLimitRetries: 1 } }),
    expected: {
      outcome: 'fails',
      error: 'RateLimitError',
      message:
        'GET /api/jobs/500001 is still rate limited (429) after 2 answers: run fewer builds at once or wait for the window to reset (job 500001)',
    },
  },
  {
    phase: 'poll',
    fault: 'budget spent, window resets in an hour',
    arrange: (s) => s.setRateLimits({ normal: 1 }, 3_600_000),
    expected: {
      outcome: 'fails',
      error: 'RateLimitError',
      message:
        "GET /api/jobs/500001: the API's normal rate-limit budget is spent and its window resets in 60 min, over the 65 s allowed (retry.maxRateLimitWaitMs): run fewer builds with this token, or raise the limit (job 500001)",
    },
  },
  ...statusCases('poll', 'jobs.get', (status) => ({
    outcome: 'fails',
    error: 'ApiError',
    message: `PlayCanvas API: GET /api/jobs/500001 answered ${status} "${STATUS_TEXT[status]}" (after 4 tries): the PlayCanvas service failed; try again later (job 500001)`,
  })),
  {
    phase: 'poll',
    fault: 'connection reset once',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'reset' }, ...once }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'poll',
    fault: 'connection reset persistently',
    arrange: (s) => void s.addFault({ route: 'jobs.get', fault: { type: 'reset' } }),
    expected: {
      outcome: 'fails',
      error: 'NetworkError',
      message:
        'Cannot reach the PlayCanvas API: GET http://127.0.0.1:PORT/api/jobs/500001 failed: the connection was reset (ECONNRESET) after 4 tries; check the base URL (PLAYCANVAS_BASE_URL) and the network (job 500001)',
    },
  },
  {
    phase: 'poll',
    fault: 'job error',
    arrange: (s) => void s.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] }),
    expected: {
      outcome: 'fails',
      error: 'JobFailedError',
      message:
        'PlayCanvas job 500001 failed: Could not export. Check that the project builds from the Editor (scripts, engine version), then try again',
    },
  },
  {
    phase: 'poll',
    fault: 'job error, message with control characters',
    arrange: (s) => void s.queueScenarios({ outcome: 'error', polls: 1, messages: ['Bad \u001b[31mscript\u001b[0m\r\nin player.js\u0007'] }),
    expected: {
      outcome: 'fails',
      error: 'JobFailedError',
      message:
        'PlayCanvas job 500001 failed: Bad [31mscript[0m in player.js. Check that the project builds from the Editor (scripts, engine version), then try again',
    },
  },
  {
    phase: 'poll',
    fault: 'job never finishing',
    arrange: (s) => void s.queueScenarios({ outcome: 'running' }),
    options: () => ({ timeout: 600 }),
    expected: {
      outcome: 'fails',
      error: 'TimeoutError',
      message:
        'Timed out after 600 ms while building project 1000 (waiting for job 500001 to finish): raise the timeout option if the build is large',
    },
  },
  {
    phase: 'poll',
    fault: 'abort mid-way',
    arrange: (s) => void s.queueScenarios({ outcome: 'running' }),
    options: () => abortAfterLog(/build started, job/),
    expected: {
      outcome: 'fails',
      error: 'AbortError',
      message: "Aborted while building project 1000 (waiting for job 500001 to finish): the caller's signal fired",
    },
  },
  // download
  {
    phase: 'download',
    fault: 'latency beyond the stall timeout, once',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'latency', ms: 3000 }, ...once }),
    options: () => ({ stallTimeout: 300 }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'download',
    fault: 'latency beyond the stall timeout, persistently',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'latency', ms: 3000 } }),
    options: () => ({ stallTimeout: 200 }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `Download of ${ARCHIVE_URL} failed after 4 tries: no answer for 200 ms; check the network, then run the build again (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: '429 once',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'status', status: 429 }, ...once }),
    expected: { outcome: 'recovers' },
  },
  ...statusCases('download', 'download', (status) => ({
    outcome: 'fails',
    error: 'DownloadError',
    message: `Download of ${ARCHIVE_URL} failed after 4 tries: the server answered ${status}; check the network, then run the build again (job 500001)`,
  })),
  {
    phase: 'download',
    fault: 'connection reset once',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'reset' }, ...once }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'download',
    fault: 'connection reset persistently',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'reset' } }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `Download of ${ARCHIVE_URL} failed after 4 tries: the connection was reset (ECONNRESET); check the network, then run the build again (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: 'truncated body once',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'truncate' }, ...once }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'download',
    fault: 'truncated body 3 times (each try resumes with Range)',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'truncate', bytes: 1000 }, times: 3 }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'download',
    fault: 'truncated body persistently',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'truncate', bytes: 1000 } }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `Download of ${ARCHIVE_URL} failed after 4 tries: the transfer broke after 4000 of {size} bytes ({why}); check the network, then run the build again (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: 'body without end, maxDownloadBytes 1 MiB',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'endless' } }),
    options: () => ({ maxDownloadBytes: 1024 * 1024 }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `The archive at ${ARCHIVE_URL} grew past 1048576 bytes, over maxDownloadBytes (1048576 bytes): raise the maxDownloadBytes option if the build really is that large (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: 'Content-Length over maxDownloadBytes',
    arrange: () => undefined,
    options: () => ({ maxDownloadBytes: 1000 }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `The archive at ${ARCHIVE_URL} is {size} bytes, over maxDownloadBytes (1000 bytes): raise the maxDownloadBytes option if the build really is that large (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: 'gzip bomb (Content-Encoding not asked for)',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'gzip-bomb', bytes: 64 * 1024 * 1024 } }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message: `The server sent more than the {size} bytes it announced for ${ARCHIVE_URL} (Content-Length, with Content-Encoding gzip): the download was stopped; the archive host is misbehaving (job 500001)`,
    },
  },
  {
    phase: 'download',
    fault: 'abort mid-way',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'latency', ms: 3000 } }),
    options: () => abortAfterLog(/job 500001 completed/),
    expected: {
      outcome: 'fails',
      error: 'AbortError',
      message: "Aborted while building project 1000 (downloading the archive of job 500001): the caller's signal fired",
    },
  },
  // read archive
  {
    phase: 'read archive',
    fault: 'corrupt zip',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'corrupt-zip' } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'The archive space-race.zip is corrupt or not a zip (End of central directory record signature not found. Either not a zip file, or file is truncated.): download it again, or run the build again (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'an entry altered on the way, buffered contents',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'corrupt-entry', entry: 'config.json' } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'Entry "config.json" {fails its CRC-32 check, cannot be inflated, or inflates past its declared size}: the archive is corrupt; run the build again (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'an entry altered on the way, streamed contents',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'corrupt-entry', entry: 'config.json' } }),
    options: () => ({ buffer: false }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'Entry "config.json" {fails its CRC-32 check, cannot be inflated, or inflates past its declared size}: the archive is corrupt; run the build again',
    },
  },
  {
    phase: 'read archive',
    fault: 'an entry over maxBufferBytes',
    arrange: () => undefined,
    options: () => ({ maxBufferBytes: 1000 }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'Entry "{name}" is {size} KB, over maxBufferBytes (1.0 KB) for buffered contents: use buffer: false to stream it (memory then stays flat), or raise maxBufferBytes (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'hostile entry ../x',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'file', name: '../x' } } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'The archive has a hostile entry "../x": it has a ".." segment that climbs out of the output folder. It was refused and nothing was extracted from it; the archive may have been tampered with (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'hostile entry /etc/x (absolute)',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'file', name: '/etc/x' } } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'The archive has a hostile entry "/etc/x": it is an absolute path. It was refused and nothing was extracted from it; the archive may have been tampered with (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'symlink entry (default: skipped)',
    arrange: (s) =>
      void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'link', target: '/etc' } } }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'read archive',
    fault: "symlink entry with symlinks: 'reject'",
    arrange: (s) =>
      void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'link', target: '/etc' } } }),
    options: () => ({ symlinks: 'reject' }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message: `The archive has a symbolic link "link": refused (symlinks: 'reject'); links in a build could point outside the output folder (job 500001)`,
    },
  },
  // write files
  {
    phase: 'write files',
    fault: 'output folder is a file',
    arrange: () => undefined,
    blockOutput: true,
    expected: { outcome: 'fails', error: 'Error', message: "{EEXIST or ENOTDIR}: {the operation} '<output>'" },
  },
];
