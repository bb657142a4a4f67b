import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, ConfigError } from '../src/index.js';
import { caught, clientFor, startMock } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('checkpoints', () => {
  it('createCheckpoint: of the main branch by default, waiting for its job, resolving to the checkpoint', async () => {
    const { client, events } = clientFor(server);
    const checkpoint = await client.createCheckpoint({ projectId: 1000, description: 'Release 1.4.2' });
    expect(checkpoint).toEqual({
      id: expect.any(String),
      description: 'Release 1.4.2',
      branchId: 'b-main',
      createdAt: expect.any(String),
      user: { id: 100, fullName: 'Build Engineer', username: 'builder' },
    });
    expect(events).toContainEqual({ type: 'job-started', jobId: 500001, kind: 'checkpoint' });
    expect(server.journal().find((e) => e.route === 'checkpoints.create')?.body).toEqual({
      projectId: 1000,
      branchId: 'b-main',
      description: 'Release 1.4.2',
    });
    expect(await client.getCheckpoint(checkpoint.id)).toEqual({ ...checkpoint, branchId: undefined });
  });

  it('accepts the older answer too: the checkpoint itself instead of a job', async () => {
    const { client } = clientFor(server);
    server.addFault({
      route: 'checkpoints.create',
      fault: {
        type: 'body',
        status: 201,
        body: { id: 'cp-direct', description: 'Old style', createdAt: '2026-01-01T00:00:00Z' },
      },
      times: 1,
    });
    expect(
      await client.createCheckpoint({ projectId: 1000, branch: 'feature-boost', description: 'Old style' }),
    ).toEqual({
      id: 'cp-direct',
      description: 'Old style',
      createdAt: '2026-01-01T00:00:00Z',
      branchId: 'b-boost',
    });
  });

  it('listCheckpoints: newest first, across cursor pages, or the newest few', async () => {
    const { client } = clientFor(server);
    for (const description of ['one', 'two', 'three'])
      await client.createCheckpoint({ projectId: 1000, branchId: 'b-zeta', description });
    const all = await client.listCheckpoints({ projectId: 1000, branch: 'zeta' });
    expect(all.map((c) => c.description)).toEqual(['three', 'two', 'one']);
    expect(all.every((c) => c.branchId === 'b-zeta')).toBe(true);
    expect(
      (await client.listCheckpoints({ projectId: 1000, branchId: 'b-zeta', limit: 2 })).map((c) => c.description),
    ).toEqual(['three', 'two']);
  });

  it('createBranch: from the main branch at its latest checkpoint, or from a branch and checkpoint named', async () => {
    const { client } = clientFor(server);
    const hotfix = await client.createBranch({ projectId: 1000, name: 'hotfix' });
    expect(hotfix).toMatchObject({ name: 'hotfix', projectId: 1000, closed: false, latestCheckpointId: 'cp-main-1' });
    expect(server.journal().find((e) => e.route === 'branches.create')?.body).toEqual({
      projectId: 1000,
      name: 'hotfix',
      sourceBranchId: 'b-main',
    });
    const from = await client.createBranch({
      projectId: 1000,
      name: 'boost-2',
      sourceBranch: 'feature-boost',
      sourceCheckpointId: 'cp-boost-1',
    });
    expect(from.latestCheckpointId).toBe('cp-boost-1');
  });

  it('says what is wrong: options before any request, the API’s refusals after', async () => {
    const { client } = clientFor(server);
    const missing = await caught(client.createCheckpoint({ projectId: 1000 } as never));
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toBe('Option description is required: what the checkpoint is for, e.g. "Release 1.4.2"');
    expect(
      (await caught(client.createCheckpoint({ projectId: 1000, branch: 'nope', description: 'x' }))).message,
    ).toMatch(/^Branch "nope" not found in project 1000; open branches: feature-boost \(b-boost\), main \(b-main\)/);
    const taken = await caught(client.createBranch({ projectId: 1000, name: 'zeta' }));
    expect(taken).toBeInstanceOf(ApiError);
    expect(taken.message).toMatch(/branch name already exists/);
    expect(server.journal().filter((e) => e.route === 'checkpoints.create')).toHaveLength(0);
  });
});
