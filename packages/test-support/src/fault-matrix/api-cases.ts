import { abortAfter, abortAfterLog, type MatrixCase, once, STATUS_TEXT, statusCases } from './case-kit.js';

/** The matrix's rows for creating the job and polling it. */
export const API_CASES: MatrixCase[] = [
  // create job
  {
    phase: 'create job',
    fault: 'latency beyond the request timeout',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'latency', ms: 3000 }, ...once }),
    options: () => ({ requestTimeout: 300 }),
    expected: {
      outcome: 'fails',
      error: 'TimeoutError',
      message:
        'POST http://127.0.0.1:PORT/api/apps/download: no answer within 300 ms (1 try); ' +
        'check the network or raise requestTimeout',
    },
  },
  {
    phase: 'create job',
    fault: '429 once',
    arrange: (s) =>
      void s.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, resetIn: 1 }, ...once }),
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
      message:
        'POST /api/apps/download is still rate limited (429) after 2 answers: ' +
        'run fewer builds at once or wait for the window to reset',
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
        'Cannot reach the PlayCanvas API: POST http://127.0.0.1:PORT/api/apps/download failed: ' +
        'the connection was reset (ECONNRESET) after 1 try; check the base URL (PLAYCANVAS_BASE_URL) and the network',
    },
  },
  {
    phase: 'create job',
    fault: 'abort mid-way',
    arrange: (s) => void s.addFault({ route: 'apps.download', fault: { type: 'latency', ms: 3000 } }),
    options: () => abortAfter(150),
    expected: {
      outcome: 'fails',
      error: 'AbortError',
      message: "Aborted while building project 1000: the caller's signal fired",
    },
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
      message:
        'GET http://127.0.0.1:PORT/api/jobs/500001: no answer within 200 ms (4 tries); ' +
        'check the network or raise requestTimeout (job 500001)',
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
        'GET /api/jobs/500001 is still rate limited (429) after 2 answers: ' +
        'run fewer builds at once or wait for the window to reset (job 500001)',
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
        "GET /api/jobs/500001: the API's normal rate-limit budget is spent and its window resets in 60 min, " +
        'over the 65 s allowed (retry.maxRateLimitWaitMs): run fewer builds with this token, ' +
        'or raise the limit (job 500001)',
    },
  },
  ...statusCases('poll', 'jobs.get', (status) => ({
    outcome: 'fails',
    error: 'ApiError',
    message:
      `PlayCanvas API: GET /api/jobs/500001 answered ${status} "${STATUS_TEXT[status]}" (after 4 tries): ` +
      'the PlayCanvas service failed; try again later (job 500001)',
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
        'Cannot reach the PlayCanvas API: GET http://127.0.0.1:PORT/api/jobs/500001 failed: ' +
        'the connection was reset (ECONNRESET) after 4 tries; check the base URL (PLAYCANVAS_BASE_URL) ' +
        'and the network (job 500001)',
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
        'PlayCanvas job 500001 failed: Could not export. Check that the project builds from the Editor (scripts, ' +
        'engine version), then try again',
    },
  },
  {
    phase: 'poll',
    fault: 'job error, message with control characters',
    arrange: (s) =>
      void s.queueScenarios({
        outcome: 'error',
        polls: 1,
        messages: ['Bad \u001b[31mscript\u001b[0m\r\nin player.js\u0007'],
      }),
    expected: {
      outcome: 'fails',
      error: 'JobFailedError',
      message:
        'PlayCanvas job 500001 failed: Bad [31mscript[0m in player.js. ' +
        'Check that the project builds from the Editor (scripts, engine version), then try again',
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
        'Timed out after 600 ms while building project 1000 (waiting for job 500001 to finish): ' +
        'raise the timeout option if the build is large',
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
];
