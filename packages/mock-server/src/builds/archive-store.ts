import { createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esmBuildEntries, hasModuleScripts } from './esm-build.js';
import { exportEntries } from './export-archive.js';
import { npmBuildEntries } from './npm-build.js';
import { type BuildEntry, type BuildSpec, specKey } from './spec.js';
import { staticBuildEntries } from './static-build.js';
import { syntheticEntries } from './synthetic.js';
import { renameEntry } from './zip-layout.js';
import { writeZip } from './zip-writer.js';

/** A name the zip writer accepts in the place of a hostile one (same byte length), renamed in the written file. */
const placeholder = (name: string) => 'h'.repeat(Buffer.byteLength(name));

export async function buildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const entries =
    spec.kind === 'export'
      ? exportEntries(spec)
      : spec.format === 'npm'
        ? await npmBuildEntries(spec)
        : hasModuleScripts(spec)
          ? await esmBuildEntries(spec)
          : await staticBuildEntries(spec);
  if (spec.kind === 'app' && spec.project.synthetic) entries.push(...syntheticEntries(spec.project.synthetic));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (spec.hostile)
    entries.push({
      name: placeholder(spec.hostile.name),
      content: spec.hostile.kind === 'symlink' ? spec.hostile.target : 'written by a hostile archive\n',
      mode: spec.hostile.kind === 'symlink' ? 0o120777 : undefined,
    });
  return entries;
}

export interface StoredArchive {
  file: string;
  size: number;
  /** A strong validator for If-Range: the same spec always gives the same bytes. */
  etag: string;
}

/**
 * Archives are written once (zip-writer.ts: several entries deflated at once on zlib's thread pool) to a temp folder
 * and served from disk, so a large build never sits in memory. The same spec always gives the same bytes: fixed
 * entry order, dates, modes and compression.
 */
export class ArchiveStore {
  private dir: Promise<string> | undefined;
  /** In use order, oldest first: a long-running mock with a real-time clock makes a new archive per build. */
  private archives = new Map<string, Promise<StoredArchive>>();

  constructor(private readonly keep = 16) {}

  async get(spec: BuildSpec): Promise<StoredArchive> {
    const key = specKey(spec);
    let archive = this.archives.get(key);
    if (archive) {
      this.archives.delete(key);
    } else {
      archive = this.write(key, spec);
      archive.catch(() => this.archives.delete(key));
    }
    this.archives.set(key, archive);
    this.evict();
    return archive;
  }

  /** Removes the least recently used archives past `keep`; a download already streaming one keeps its open file. */
  private evict(): void {
    for (const [key, archive] of this.archives) {
      if (this.archives.size <= this.keep) return;
      this.archives.delete(key);
      archive.then(({ file }) => rm(file, { force: true })).catch(() => undefined);
    }
  }

  private async write(key: string, spec: BuildSpec): Promise<StoredArchive> {
    this.dir ??= mkdtemp(join(tmpdir(), 'playcanvas-mock-'));
    const dir = await this.dir;
    const file = join(dir, `${key}.zip`);
    const partial = `${file}.partial`;
    await writeZip(
      await buildEntries(spec),
      { mtime: new Date(spec.date), mode: 0o100644 },
      createWriteStream(partial),
    );
    // the writer refuses hostile names (rightly): the entry went in under a placeholder of the same length
    if (spec.hostile) await renameEntry(partial, placeholder(spec.hostile.name), spec.hostile.name);
    await rename(partial, file);
    return { file, size: (await stat(file)).size, etag: `"${key}"` };
  }

  async close(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    this.archives.clear();
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}
