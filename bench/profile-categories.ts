// What a CPU profile's function belongs to: start-up, the HTTP read, inflate, CRC-32, the archive's per-entry
// JavaScript, garbage collection, file system calls. Read from the function's name and its script's URL.

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export type Category =
  | 'idle (waiting: I/O, thread pool)'
  | 'garbage collection'
  | 'native, outside JS ((program))'
  | 'module load and compile'
  | 'HTTP read (undici, sockets, streams of the download)'
  | 'inflate dispatch (node:zlib)'
  | 'CRC-32'
  | 'file system calls (node:fs)'
  | 'archive reader (yauzl, client/archive)'
  | 'download and spool (client/download)'
  | 'streams (node:stream)'
  | 'promises, timers, event loop (node internals)'
  | 'CLI, pipeline, options'
  | 'other';

const RULES: Array<[RegExp, Category]> = [
  [/^\(idle\)$/, 'idle (waiting: I/O, thread pool)'],
  [/^\(garbage collector\)$/, 'garbage collection'],
  [/^\(program\)$/, 'native, outside JS ((program))'],
];

const URL_RULES: Array<[RegExp, Category]> = [
  [/node:internal\/modules|node:internal\/vm|node:internal\/bootstrap|cjs-module-lexer/, 'module load and compile'],
  [
    /undici|node:net|node:_http|node:internal\/http|node:internal\/stream_base|node:internal\/deps\/undici/,
    'HTTP read (undici, sockets, streams of the download)',
  ],
  [/node:zlib/, 'inflate dispatch (node:zlib)'],
  [/node:fs|node:internal\/fs/, 'file system calls (node:fs)'],
  [/yauzl|client\/dist\/archive/, 'archive reader (yauzl, client/archive)'],
  [/client\/dist\/download/, 'download and spool (client/download)'],
  [/node:stream|node:internal\/streams/, 'streams (node:stream)'],
  [
    /node:internal\/(process\/task_queues|timers|async_hooks|process\/promises)|node:timers/,
    'promises, timers, event loop (node internals)',
  ],
  [/packages\/(cli|pipeline|client)\//, 'CLI, pipeline, options'],
];

/** Native bindings of node:fs, as the profile names them (no script URL). */
const FS_BINDINGS = new Set(
  'open openFileHandle close writeBuffer writeBuffers writeString fstat futimes fchmod rename mkdir read readFileUtf8'
    .split(' ')
    .concat('writeFileUtf8'),
);

export function categoryOf(node: ProfileNode): Category {
  const { functionName, url } = node.callFrame;
  for (const [pattern, category] of RULES) if (pattern.test(functionName)) return category;
  if (functionName === 'crc32') return 'CRC-32';
  if (/^(inflateRawSync|zlibBufferSync|processChunkSync)$/.test(functionName)) return 'inflate dispatch (node:zlib)';
  // native functions with no script: fs bindings and the like, named by the binding
  if (url === '' && FS_BINDINGS.has(functionName)) return 'file system calls (node:fs)';
  if (url === '' && /^(compileFunction|compileForInternalLoader|compileSourceTextModule)$/.test(functionName))
    return 'module load and compile';
  for (const [pattern, category] of URL_RULES) if (pattern.test(url)) return category;
  return 'other';
}
