import type { Entry, ZipFile } from 'yauzl';
import { ArchiveError } from '../common/index.js';
import type { ArchiveOptions } from '../options/index.js';
import type { ByteSource } from './byte-source.js';
import { corruptArchive, judge, scanError, type Verdict } from './entry-rules.js';
import { readDirectory } from './zip-directory.js';

/**
 * Reads the zip's central directory whole and judges every entry before any is given: the entry count, the
 * directory's declared size, each entry (a hostile name, a refused symlink, an encrypted one...) and the total
 * expanded size. The zip is closed again when the archive is refused.
 */
export async function judgeDirectory(
  path: string,
  source: ByteSource,
  options: Required<ArchiveOptions>,
): Promise<{ zip: ZipFile; scanned: Array<{ entry: Entry; verdict: Verdict }> }> {
  let zip: ZipFile | undefined;
  try {
    // The whole directory first: a truncated one fails as corruption before any name in it is judged.
    let directory: Awaited<ReturnType<typeof readDirectory>>;
    try {
      directory = await readDirectory(source, (count) => {
        if (count > options.maxEntries)
          throw new ArchiveError(
            `The archive has ${count} entries, over the limit of ${options.maxEntries}: ` +
              'raise maxEntries if the build really is that large',
          );
      });
    } catch (error) {
      throw scanError(error, path);
    }
    zip = directory.zip;
    const { entries, declaredSize } = directory;
    const records = entries.reduce(
      (sum, e) => sum + 46 + e.fileNameLength + e.extraFieldLength + e.fileCommentLength,
      0,
    );
    if (declaredSize !== undefined && declaredSize !== records)
      throw corruptArchive(
        path,
        `its central directory holds ${records} bytes of records where ${declaredSize} were declared: ` +
          'it was truncated or altered',
      );
    const scanned: Array<{ entry: Entry; verdict: Verdict }> = [];
    let total = 0;
    for (const entry of entries) {
      const verdict = judge(entry, options, source.size);
      scanned.push({ entry, verdict });
      if (verdict.kind !== 'file') continue;
      total += entry.uncompressedSize;
      if (total > options.maxTotalBytes) {
        throw new ArchiveError(
          `The archive expands to more than ${options.maxTotalBytes} bytes (at entry ` +
            `${JSON.stringify(entry.fileName)}): refused as a possible zip bomb; ` +
            'raise maxTotalBytes if the build really is that large',
          entry.fileName,
        );
      }
    }
    return { zip, scanned };
  } catch (error) {
    zip?.close();
    throw error;
  }
}
