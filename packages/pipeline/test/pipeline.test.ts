import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { ConfigError, createClient } from '@gulp-playcanvas/playcanvas-rest-client';
import { BUILD, caught, FAST, startMock, TOKEN } from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/index.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const clientFor = (mock: MockServer) => ({ client: createClient({ token: TOKEN, baseUrl: mock.url, ...FAST }) });

describe('runPipeline: what every entry point does around a build', () => {
  it('with checkpoint: makes one of the build’s branch, then builds that branch; the metadata says so', async () => {
    const { client } = clientFor(server);
    const result = await runPipeline(
      client,
      { checkpoint: 'Before 1.4.2', requireEngineVersion: false },
      { kind: 'build', options: { ...BUILD, branch: 'feature-boost', engineVersion: '2.23.3' } },
    );
    await result.archive.dispose();
    expect(result.checkpoint).toMatchObject({ description: 'Before 1.4.2', branchId: 'b-boost' });
    expect(result.metadata).toEqual({
      jobId: 500002,
      projectId: 1000,
      branchId: 'b-boost',
      checkpointId: result.checkpoint?.id,
      engineVersion: '2.23.3',
      format: 'static',
    });
    expect(
      server
        .journal()
        .map((e) => e.route)
        .filter((r) => r === 'checkpoints.create' || r === 'apps.download'),
    ).toEqual(['checkpoints.create', 'apps.download']);
    expect(server.journal().find((e) => e.route === 'apps.download')?.body).toMatchObject({ branch_id: 'b-boost' });
    expect(result.warnings).toEqual([]);
  });

  it(
    'without engineVersion: warns, naming the engine the job used; ' +
      'requireEngineVersion refuses before any request',
    async () => {
      const { client } = clientFor(server);
      const result = await runPipeline(
        client,
        { checkpoint: false, requireEngineVersion: false },
        { kind: 'build', options: BUILD },
      );
      await result.archive.dispose();
      expect(result.metadata.engineVersion).toBe('2.23.3');
      expect(result.warnings).toEqual([
        'no engineVersion was given, so the API chose the engine: job 500001 reports 2.23.3; ' +
          "pin it with engineVersion: '2.23.3' (the default has changed silently before), " +
          'or set requireEngineVersion to refuse builds without it',
      ]);
      server.reset();
      const refused = await caught(
        runPipeline(client, { checkpoint: false, requireEngineVersion: true }, { kind: 'build', options: BUILD }),
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect(refused.message).toBe(
        'requireEngineVersion is set, but engineVersion is not: ' +
          "give the engine version to build with, e.g. engineVersion: '2.23.3'",
      );
      expect(server.journal()).toEqual([]);
    },
  );
});
