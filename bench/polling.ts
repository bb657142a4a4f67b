// Polling economy: jobs that finish 0.5 s, 5 s and 60 s after they start (on the mock's clock, in real time),
// watched by our client's waitForJob and by a fixed one-second poll (what the public scripts do), side by side.
import { createClient } from '@gulp-playcanvas/playcanvas-rest-client';
import type { MockProcess } from './mock-process.js';

export interface PollingResult {
  jobMs: number;
  contender: string;
  requests: number;
  delayMs: number;
  rateLimited: number;
}

interface JournalEntry {
  path: string;
  route: string;
  at: string;
  status: number;
}

const TOKEN = 'mock-dev-token';

async function startJob(mock: MockProcess): Promise<number> {
  const res = await fetch(`${mock.url}/api/apps/download`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ project_id: 1000, name: 'Polling', scenes: [2000] }),
  });
  return ((await res.json()) as { id: number }).id;
}

async function fixedOneSecondPoll(mock: MockProcess, id: number): Promise<void> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const job = (await (
      await fetch(`${mock.url}/api/jobs/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { status: string };
    if (job.status !== 'running') return;
  }
}

export async function pollingEconomy(mock: MockProcess, lengthsMs: number[]): Promise<PollingResult[]> {
  await mock.admin('POST', '/clock', { mode: 'realtime', set: Date.now() });
  const client = createClient({ token: TOKEN, baseUrl: mock.url });
  const results: PollingResult[] = [];
  for (const jobMs of lengthsMs) {
    await mock.admin('POST', '/scenarios', {
      next: [
        { outcome: 'complete', afterMs: jobMs },
        { outcome: 'complete', afterMs: jobMs },
      ],
    });
    const ours = await startJob(mock);
    const fixed = await startJob(mock);
    const started = new Map<number, number>();
    const { jobs } = (await mock.admin('GET', '/jobs')) as { jobs: Array<{ id: number; created_at: string }> };
    for (const j of jobs) started.set(j.id, Date.parse(j.created_at));
    await Promise.all([client.waitForJob(ours), fixedOneSecondPoll(mock, fixed)]);
    const { entries } = (await mock.admin('GET', '/journal')) as { entries: JournalEntry[] };
    for (const [contender, id] of [
      ['playcanvas-rest-client (default polling)', ours],
      ['fixed 1 s poll', fixed],
    ] as const) {
      const polls = entries.filter((e) => e.path === `/api/jobs/${id}`);
      const detected = polls.at(-1);
      const doneAt = (started.get(id) ?? 0) + jobMs;
      results.push({
        jobMs,
        contender,
        requests: polls.length,
        delayMs: detected ? Date.parse(detected.at) - doneAt : Number.NaN,
        rateLimited: polls.filter((e) => e.status === 429).length,
      });
    }
    await mock.admin('DELETE', '/journal');
  }
  return results;
}
