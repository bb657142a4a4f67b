import { unusedPort } from 'test-support';
import { describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

// [password, where the URL is given, its host]: each character that ends a URL's user-info or host early when
// unencoded; with a host that does not parse, the URL is refused whatever the password holds (an @ or a space
// alone leave it parsing, and working).
const CASES: Array<[string, 'HTTPS_PROXY' | '--proxy', 'good host' | 'bad host']> = [
  ['pw/sl4sh', 'HTTPS_PROXY', 'good host'],
  ['pw sp4ce', '--proxy', 'bad host'],
  ['pw@at4', 'HTTPS_PROXY', 'bad host'],
  ['pw#h4sh', '--proxy', 'good host'],
  ['pw?qu3ry', 'HTTPS_PROXY', 'good host'],
  ['3128#n0t-a-port', 'HTTPS_PROXY', 'good host'],
];

describe('a proxy password holding / space @ # or ? never reaches the output', () => {
  it.each(CASES)('%j from %s, %s: not on stderr, not in the --json result', async (password, source, host) => {
    const url = `http://builder:${password}@${host === 'bad host' ? '[' : ''}127.0.0.1:${await unusedPort()}`;
    const run = await runCli(
      [
        ...BUILD_ARGS,
        '--out',
        'build',
        '--retry-retries',
        '0',
        '--json',
        ...(source === '--proxy' ? ['--proxy', url] : []),
      ],
      {
        env: {
          PLAYCANVAS_BASE_URL: `https://127.0.0.1:${await unusedPort()}`,
          ...(source === 'HTTPS_PROXY' ? { HTTPS_PROXY: url } : {}),
        },
      },
    );
    expect(run.stderr).toMatch(/^playcanvas-build: error: /);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false });
    for (const secret of [password, encodeURIComponent(password), password.slice(2)]) {
      expect(run.stderr).not.toContain(secret);
      expect(run.stdout).not.toContain(secret);
    }
    // refused, saying how to write it
    expect(run.stderr).toMatch(
      /\(its user name and password are not shown; percent-encode any \/ \? # @ % or space in them/,
    );
    expect(run.code).toBe(2);
  });
});
