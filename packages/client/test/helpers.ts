import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { FAST, TOKEN } from 'test-support';
import { type ClientOptions, createClient, type PlayCanvasClient, type ProgressEvent } from '../src/index.js';

export { BUILD, caught, expectNoSecret, fixtures, OUTSIDER_TOKEN, startMock, TOKEN } from 'test-support';

export function clientFor(
  server: MockServer,
  options: Partial<ClientOptions> = {},
): { client: PlayCanvasClient; events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  const client = createClient({
    token: TOKEN,
    baseUrl: server.url,
    ...FAST,
    onProgress: (e) => events.push(e),
    ...options,
  });
  return { client, events };
}
