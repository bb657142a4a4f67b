import { buffer } from 'node:stream/consumers';
import { ZipFile } from 'yazl';

/** A zip of the files (deflated, dated 1 Jan 2000 so that the same files make the same bytes), by path. */
export async function zipFiles(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  const mtime = new Date(Date.UTC(2000, 0, 1));
  for (const [path, bytes] of files) zip.addBuffer(bytes, path, { mtime, compress: true });
  zip.end();
  return buffer(zip.outputStream);
}
