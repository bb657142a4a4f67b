import { posix } from 'node:path';

// Kept apart from entry-rules.ts: it is public, and its declarations must not need the zip reader's types.
/** Why a name is unsafe to write below an output folder, or undefined when it is fine. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.includes('\0')) return 'it contains a NUL character';
  if (name.startsWith('/') || name.startsWith('\\')) return 'it is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'it starts with a drive letter';
  if (name.split(/[\\/]/).includes('..')) return 'it has a ".." segment that climbs out of the output folder';
  if (name === '') return 'it is empty';
  if (posix.normalize(name.replace(/\\/g, '/')).replace(/\/$/, '') === '.') return 'it names the output folder itself';
  return undefined;
}
