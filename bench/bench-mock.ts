// The mock in a process of its own, holding the bench's synthetic builds, and a finished job's archive URL.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultFixtures } from '@gulp-playcanvas/playcanvas-mock-server';
import { type MockProcess, startMockProcess } from './mock-process.js';

export const TOKEN = 'mock-dev-token';

export interface SyntheticBuild {
  label: string;
  projectId: number;
  files: number;
  totalBytes: number;
}

/** Starts the mock with one project per build (half of each build's bytes incompressible), rate limits lifted. */
export async function startBenchMock(work: string, builds: SyntheticBuild[]): Promise<MockProcess> {
  const fixtures = defaultFixtures();
  const base = fixtures.projects[0];
  if (!base) throw new Error('no default project');
  for (const build of builds) {
    fixtures.projects.push({
      ...base,
      id: build.projectId,
      name: `Bench ${build.label}`,
      synthetic: { files: build.files, totalBytes: build.totalBytes, incompressibleRatio: 0.5 },
    });
    fixtures.tokens[0]?.projects.push(build.projectId);
  }
  const fixturesFile = join(work, 'fixtures.json');
  await writeFile(fixturesFile, JSON.stringify(fixtures));
  const mock = await startMockProcess(['--fixtures', fixturesFile, '--polls', '1', '--clock', 'frozen']);
  await mock.admin('PUT', '/rate-limits', { limits: { strict: 100_000, normal: 100_000 } });
  return mock;
}

/** Starts a job for `projectId` and polls it until complete: its archive URL. */
export async function finishedJob(baseUrl: string, projectId: number): Promise<string> {
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const body = JSON.stringify({ project_id: projectId, name: 'Bench', scenes: [2000] });
  const job = (await (await fetch(`${baseUrl}/api/apps/download`, { method: 'POST', headers, body })).json()) as {
    id: number;
  };
  for (;;) {
    const polled = (await (await fetch(`${baseUrl}/api/jobs/${job.id}`, { headers })).json()) as {
      status: string;
      data: { download_url?: string };
    };
    if (polled.status === 'complete' && polled.data.download_url) return polled.data.download_url;
  }
}
