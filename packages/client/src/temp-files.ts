import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

/** A private temp folder, removed by `remove()` or, as a last resort, when the process exits. */
export async function makeTempDir(parent: string = tmpdir()): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(parent, 'playcanvas-'));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const d of live) rmSync(d, { recursive: true, force: true });
    });
  }
  return {
    dir,
    remove: async () => {
      live.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Temp folders made by this process and not yet removed (for tests and leak checks). */
export function liveTempDirs(): string[] {
  return [...live];
}
