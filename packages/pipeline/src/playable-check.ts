import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlayableRecord } from '@gulp-playcanvas/playcanvas-build-check';
import type { ResolvedCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';
import type { PlayableReport } from '@gulp-playcanvas/playcanvas-postprocess';
import yauzl from 'yauzl';

/** What the check boots: the folder, or a playable's files as its network is given them. */
export interface CheckTarget {
  files: string | Map<string, Buffer>;
  options: ResolvedCheckOptions;
}

/**
 * A playable is checked as its network runs it: under the network's stand-in, opening the playable's HTML (ad.html
 * for Vungle), and, for a network given a zip, from the zip's files rather than the folder that holds the zip.
 */
export async function checkTarget(
  dir: string,
  check: ResolvedCheckOptions,
  playable: PlayableReport | undefined,
): Promise<CheckTarget> {
  if (playable === undefined) return { files: dir, options: check };
  const page = playable.files[0]?.path ?? 'index.html';
  const options = { ...check, page, playable: playable.network };
  const { path } = playable.upload;
  if (!path.endsWith('.zip')) return { files: dir, options };
  return { files: await unzip(await readFile(join(dir, path))), options };
}

/** The entries of a zip we wrote (the playable step's), by path. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (failed, stream) => {
          if (failed) return reject(failed);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** What the tap did, for the log: the network's call, or the hint that the game calls no call-to-action yet. */
export function describeTap(record: PlayableRecord): string {
  const held = record.heldUntilShown === true ? 'waited for the container to show it, and ' : '';
  const calls = record.tapCalls.map((c) => `${c.call}(${c.args.map((a) => JSON.stringify(a)).join(', ')})`);
  const tapped =
    calls.length > 0
      ? `a tap called ${calls.join(', ')}`
      : "a tap called no call-to-action (have the game's install button call window.playableCTA())";
  return `the ${record.network} playable ${held}${tapped}`;
}
