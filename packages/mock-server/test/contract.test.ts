import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';

/**
 * A client written the way the public examples are (playcanvas-rest-api-tools' shared.js, the forum's script):
 * POST with Bearer and JSON, poll /api/jobs/{id} every second, GET data.download_url, unzip.
 * Pointed at the mock by its base URL alone, it must complete.
 */
async function downloadLikeThePublicScripts(
  baseUrl: string,
  token: string,
  config: Record<string, unknown>,
): Promise<Buffer> {
  const res = await fetch(`${baseUrl}/api/apps/download`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (res.status !== 201) throw new Error(`Error: status code ${res.status}`);
  const job = await res.json();
  const pollJob = async (id: number): Promise<any> => {
    await new Promise((r) => setTimeout(r, 1000));
    const polled = await fetch(`${baseUrl}/api/jobs/${id}`, { headers: { Authorization: `Bearer ${token}` } }).then(
      (r) => r.json(),
    );
    if (polled.status === 'complete') return polled;
    if (polled.status === 'error') throw new Error(polled.messages.join(';'));
    return pollJob(id);
  };
  const done = await pollJob(job.id);
  return Buffer.from(await (await fetch(done.data.download_url)).arrayBuffer());
}

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ pollsToComplete: 2 });
});
afterAll(() => server.close());

it('a client written like the public examples completes a build against the mock', async () => {
  const zipBytes = await downloadLikeThePublicScripts(server.url, 'mock-dev-token', {
    project_id: 1000,
    name: 'Space Race',
    scenes: [2000],
    branch_id: '',
    description: '',
    preload_bundle: false,
    version: '',
    release_notes: '',
    scripts_concatenate: true,
    scripts_minify: true,
    optimize_scene_format: false,
    engine_version: '',
  });
  const zip = await JSZip.loadAsync(zipBytes);
  const html = await zip.file('index.html')!.async('string');
  // the CSP patch of playcanvas-rest-api-tools inserts its meta tag right after the first '<head>': there must be
  // exactly one, and it must open the document's head (before the first <meta>, <title> and <script>)
  expect(html.split('<head>')).toHaveLength(2);
  const head = html.indexOf('<head>');
  for (const tag of ['<meta', '<title>', '<script', '</head>']) expect(html.indexOf(tag)).toBeGreaterThan(head);
  expect(zip.file('__game-scripts.js')).not.toBeNull();
}, 15_000);
