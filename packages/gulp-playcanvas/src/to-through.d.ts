declare module 'to-through' {
  import type { Readable } from 'node:stream';

  /** Wraps a readable in a transform: files written in pass through, then the readable's files follow. */
  export default function toThrough(readable: Readable): NodeJS.ReadWriteStream;
}
