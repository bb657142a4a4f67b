// Peak memory of the plugin into gulp.dest, with and without ranges served, two runs each, for the 250 and
// 500 MiB synthetic builds: how bench/NOTES.md's memory paragraph was measured. By hand, after `pnpm build`:
// `npx tsx memory-probe.ts` (MODES=stream to skip buffer contents; NODE_OPTIONS reaches the plugin's process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFixtures } from '@gulp-playcanvas/playcanvas-mock-server';
import { startMockProcess } from './mock-process.js';

const MiB = 1024 * 1024;
const fixtures = defaultFixtures();
const base = fixtures.projects[0];
if (!base) throw new Error('no default project');
const sizes = [
  [1102, 2000, 250],
  [1103, 4000, 500],
] as const;
for (const [id, files, mib] of sizes) {
  fixtures.projects.push({
    ...base,
    id,
    name: `B${id}`,
    synthetic: { files, totalBytes: mib * MiB, incompressibleRatio: 0.5 },
  });
  fixtures.tokens[0]?.projects.push(id);
}
const work = mkdtempSync(join(tmpdir(), 'memprobe-'));
writeFileSync(join(work, 'f.json'), JSON.stringify(fixtures));
const mock = await startMockProcess(['--fixtures', join(work, 'f.json'), '--polls', '1', '--clock', 'frozen']);
await mock.admin('PUT', '/rate-limits', { limits: { strict: 100000, normal: 100000 } });
const modes = (process.env.MODES ?? 'stream,buffer').split(',');
for (const ranges of [true, false]) {
  await mock.admin('DELETE', '/faults');
  if (!ranges) await mock.admin('POST', '/faults', { route: 'download', fault: { type: 'no-ranges' } });
  for (const [id] of sizes)
    for (const mode of modes)
      for (let r = 0; r < 2; r++) {
        const out = join(work, 'out');
        const t0 = Date.now();
        const res = spawnSync(
          '/usr/bin/time',
          ['-f', 'PEAK %M', 'node', 'contenders/plugin.mjs', mock.url, 'mock-dev-token', String(id), out, mode],
          { encoding: 'utf8' },
        );
        const peak = Number(/PEAK (\d+)/.exec(res.stderr)?.[1] ?? 0) / 1024;
        rmSync(out, { recursive: true, force: true });
        console.log(`ranges=${ranges} project=${id} ${mode} ${(Date.now() - t0) / 1000}s peak ${peak.toFixed(0)} MiB`);
      }
}
await mock.stop();
rmSync(work, { recursive: true, force: true });
