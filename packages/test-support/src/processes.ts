import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Every process now running, by pid: zombies left out (they have ended, only their exit status is left), and
 * the `ps` that lists them.
 */
async function running(): Promise<Map<number, number>> {
  const lister = run('ps', ['-A', '-o', 'pid=,ppid=,stat=']);
  const { stdout } = await lister;
  const parents = new Map<number, number>();
  for (const line of stdout.split('\n')) {
    const [pid, ppid, stat] = line.trim().split(/\s+/);
    if (!pid || !ppid || stat?.startsWith('Z') || Number(pid) === lister.child.pid) continue;
    parents.set(Number(pid), Number(ppid));
  }
  return parents;
}

/** The living processes under `root` (children, their children...), as pids. */
export async function descendants(root: number = process.pid): Promise<number[]> {
  const parents = await running();
  const under = new Set([root]);
  // a child may be listed before its parent: repeat until nothing new joins
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents)
      if (under.has(ppid) && !under.has(pid)) {
        under.add(pid);
        grew = true;
      }
  }
  under.delete(root);
  return [...under];
}

/** Which of these processes are still running. */
export async function stillRunning(pids: number[]): Promise<number[]> {
  const parents = await running();
  return pids.filter((pid) => parents.has(pid));
}
