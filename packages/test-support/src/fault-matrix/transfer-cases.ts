import { ARCHIVE_URL, abortAfterLog, type MatrixCase, once, statusCases } from './case-kit.js';

/** The matrix's rows for the download, reading the archive and writing the files. */
export const TRANSFER_CASES: MatrixCase[] = [
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
      message:
        `Download of ${ARCHIVE_URL} failed after 4 tries: no answer for 200 ms; ` +
        'check the network, then run the build again (job 500001)',
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
    message:
      `Download of ${ARCHIVE_URL} failed after 4 tries: the server answered ${status}; ` +
      'check the network, then run the build again (job 500001)',
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
      message:
        `Download of ${ARCHIVE_URL} failed after 4 tries: the connection was reset (ECONNRESET); ` +
        'check the network, then run the build again (job 500001)',
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
      message:
        `Download of ${ARCHIVE_URL} failed after 4 tries: the transfer broke after 4000 of {size} bytes ` +
        '({why}); check the network, then run the build again (job 500001)',
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
      message:
        `The archive at ${ARCHIVE_URL} grew past 1048576 bytes, over maxDownloadBytes (1048576 bytes): ` +
        'raise the maxDownloadBytes option if the build really is that large (job 500001)',
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
      message:
        `The archive at ${ARCHIVE_URL} is {size} bytes, over maxDownloadBytes (1000 bytes): ` +
        'raise the maxDownloadBytes option if the build really is that large (job 500001)',
    },
  },
  {
    phase: 'download',
    fault: 'gzip bomb (Content-Encoding not asked for)',
    arrange: (s) => void s.addFault({ route: 'download', fault: { type: 'gzip-bomb', bytes: 64 * 1024 * 1024 } }),
    expected: {
      outcome: 'fails',
      error: 'DownloadError',
      message:
        `The server sent more than the {size} bytes it announced for ${ARCHIVE_URL} (Content-Length, ` +
        'with Content-Encoding gzip): the download was stopped; the archive host is misbehaving (job 500001)',
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
        'The archive space-race.zip is corrupt or not a zip (End of central directory record signature not found. ' +
        'Either not a zip file, or file is truncated.): download it again, or run the build again (job 500001)',
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
        'Entry "config.json" {fails its CRC-32 check, cannot be inflated, or inflates past its declared size}: ' +
        'the archive is corrupt; run the build again (job 500001)',
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
        'Entry "config.json" {fails its CRC-32 check, cannot be inflated, or inflates past its declared size}: ' +
        'the archive is corrupt; run the build again',
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
        'Entry "{name}" is {size} KB, over maxBufferBytes (1.0 KB) for buffered contents: use buffer: ' +
        'false to stream it (memory then stays flat), or raise maxBufferBytes (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'hostile entry ../x',
    arrange: (s) =>
      void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'file', name: '../x' } } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'The archive has a hostile entry "../x": it has a ".." segment that climbs out of the output folder. ' +
        'It was refused and nothing was extracted from it; the archive may have been tampered with (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'hostile entry /etc/x (absolute)',
    arrange: (s) =>
      void s.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'file', name: '/etc/x' } } }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        'The archive has a hostile entry "/etc/x": it is an absolute path. ' +
        'It was refused and nothing was extracted from it; the archive may have been tampered with (job 500001)',
    },
  },
  {
    phase: 'read archive',
    fault: 'symlink entry (default: skipped)',
    arrange: (s) =>
      void s.addFault({
        route: 'download',
        fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'link', target: '/etc' } },
      }),
    expected: { outcome: 'recovers' },
  },
  {
    phase: 'read archive',
    fault: "symlink entry with symlinks: 'reject'",
    arrange: (s) =>
      void s.addFault({
        route: 'download',
        fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'link', target: '/etc' } },
      }),
    options: () => ({ symlinks: 'reject' }),
    expected: {
      outcome: 'fails',
      error: 'ArchiveError',
      message:
        `The archive has a symbolic link "link": refused (symlinks: 'reject'); ` +
        'links in a build could point outside the output folder (job 500001)',
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
