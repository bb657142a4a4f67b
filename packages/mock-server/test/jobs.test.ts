import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call } from './helpers.js';

let server: MockServer;
afterEach(() => server?.close());

async function startJob(): Promise<number> {
  return (await call(server, 'POST', '/api/apps/download', { body: BUILD })).json.id;
}

async function pollStatuses(id: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await call(server, 'GET', `/api/jobs/${id}`)).json.status);
  return out;
}

describe('job scenarios', () => {
  it('completes on the Nth poll, N configurable', async () => {
    server = await startMockServer({ pollsToComplete: 5 });
    expect(await pollStatuses(await startJob(), 6)).toEqual([
      'running',
      'running',
      'running',
      'running',
      'complete',
      'complete',
    ]);
  });

  it('completes after a delay on the mock clock, whatever the number of polls', async () => {
    server = await startMockServer({ defaultScenario: { outcome: 'complete', afterMs: 5000 } });
    const id = await startJob();
    expect(await pollStatuses(id, 4)).toEqual(['running', 'running', 'running', 'running']);
    server.advanceClock(4999);
    expect(await pollStatuses(id, 1)).toEqual(['running']);
    server.advanceClock(1);
    const done = await call(server, 'GET', `/api/jobs/${id}`);
    expect(done.json).toMatchObject({
      status: 'complete',
      created_at: '2026-01-01T00:00:00.000Z',
      modified_at: '2026-01-01T00:00:05.000Z',
    });
  });

  it('ends in error with the scenario messages, and never gives a download URL', async () => {
    server = await startMockServer();
    server.queueScenarios({ outcome: 'error', polls: 2, messages: ['Could not export'] });
    const id = await startJob();
    await pollStatuses(id, 1);
    const failed = await call(server, 'GET', `/api/jobs/${id}`);
    expect(failed.json).toMatchObject({ status: 'error', messages: ['Could not export'] });
    expect(failed.json.data.download_url).toBeUndefined();
    expect((await fetch(`${server.url}/downloads/apps/${id}/space-race.zip`)).status).toBe(404);
  });

  it('can keep a job running forever', async () => {
    server = await startMockServer({ defaultScenario: { outcome: 'running' } });
    const id = await startJob();
    server.advanceClock(24 * 3600_000);
    expect(await pollStatuses(id, 10)).toEqual(Array(10).fill('running'));
  });

  it('queued scenarios apply to the next jobs in order, then the default again', async () => {
    server = await startMockServer({ pollsToComplete: 1 });
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['first'] }, { outcome: 'running' });
    const [a, b, c] = [await startJob(), await startJob(), await startJob()];
    expect(await pollStatuses(a, 1)).toEqual(['error']);
    expect(await pollStatuses(b, 1)).toEqual(['running']);
    expect(await pollStatuses(c, 1)).toEqual(['complete']);
  });

  it('rejects a scenario that makes no sense, with an example', async () => {
    server = await startMockServer();
    expect(() => server.queueScenarios({ outcome: 'done' } as never)).toThrow(
      /outcome must be complete, error or running; got "done".*Example/,
    );
    await expect(startMockServer({ defaultScenario: { outcome: 'complete', polls: 0 } })).rejects.toThrow(
      /polls must be an integer of at least 1/,
    );
  });
});
