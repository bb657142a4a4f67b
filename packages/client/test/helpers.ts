import { inspect } from 'node:util';
import { type MockServer, type StartOptions, startMockServer } from 'playcanvas-mock-server';
import { expect } from 'vitest';
import { type ClientOptions, createClient, type PlayCanvasClient, type ProgressEvent } from '../src/index.js';

/** A recognizable token: every test that fails on purpose checks it shows nowhere. */
export const TOKEN = 'secret-token-4f9c2a7e1b';

export function fixturesWithToken(): StartOptions['fixtures'] {
  return {
    users: [{ id: 100, username: 'builder', fullName: 'Build Engineer' }],
    tokens: [
      { token: TOKEN, userId: 100, projects: [1000] },
      { token: 'other-token', userId: 100, projects: [] },
    ],
    projects: [
      {
        id: 1000,
        name: 'Space Race',
        ownerId: 100,
        branches: [
          { id: 'b-main', name: 'main', main: true },
          { id: 'b-boost', name: 'feature-boost' },
          { id: 'b-release', name: 'release-1.2' },
          { id: 'b-zeta', name: 'zeta' },
        ],
        scenes: [
          { id: 2000, name: 'Main' },
          { id: 2001, name: 'Level 2' },
        ],
        assets: [{ id: 3000, name: 'player.js', type: 'script', filename: 'player.js' }],
      },
    ],
  };
}

export async function startMock(options: StartOptions = {}): Promise<MockServer> {
  return startMockServer({ fixtures: fixturesWithToken(), pollsToComplete: 2, ...options });
}

export const FAST: Partial<ClientOptions> = {
  retry: { baseDelayMs: 10, maxDelayMs: 40, retries: 3 },
  poll: { initialDelayMs: 5, maxDelayMs: 20 },
};

export function clientFor(server: MockServer, options: Partial<ClientOptions> = {}): { client: PlayCanvasClient; events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  const client = createClient({ token: TOKEN, baseUrl: server.url, ...FAST, onProgress: (e) => events.push(e), ...options });
  return { client, events };
}

/** Fails when the token shows in an error's message, stack, properties or inspection. */
export function expectNoToken(value: unknown): void {
  const texts = [inspect(value, { depth: 8, showHidden: true }), JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}))];
  if (value instanceof Error) texts.push(value.message, value.stack ?? '');
  for (const text of texts) expect(text).not.toContain(TOKEN);
}

export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expectNoToken(error);
    return error as Error;
  }
  throw new Error('expected a rejection');
}

export const BUILD = { projectId: 1000, name: 'Space Race', scenes: [2000] };
