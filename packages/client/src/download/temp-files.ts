import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { onExit } from 'signal-exit';

const live = new Set<string>();
/** Asked to be removed, and rm still under way: the exit hook finishes the job if the process ends first. */
const going = new Set<string>();
let hooked = false;

/**
 * A private temp folder, removed by `remove()` or, as a last resort, when the process exits or is stopped by
 * SIGINT, SIGTERM or SIGHUP (signal-exit keeps the signal's own exit code and default behaviour).
 */
export async function makeTempDir(parent: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(parent, 'playcanvas-'));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    onExit(() => {
      for (const d of [...live, ...going]) rmSync(d, { recursive: true, force: true });
    });
  }
  let removing: Promise<void> | undefined;
  return {
    dir,
    remove: () => {
      // the exit hook keeps the folder until it is gone: a process that exits while rm is under way (gulp's
      // CLI calls process.exit right after it prints a failed task's error) removes it there, synchronously
      if (removing === undefined) {
        live.delete(dir);
        going.add(dir);
        removing = rm(dir, { recursive: true, force: true }).finally(() => void going.delete(dir));
      }
      return removing;
    },
  };
}

/** Temp folders made by this process and not yet asked to be removed (for tests and leak checks). */
export function liveTempDirs(): string[] {
  return [...live];
}
