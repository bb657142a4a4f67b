import { expect, it } from 'vitest';
import { apiReports, entries } from '../scripts/api-report.js';

it('finds every entry of the published packages in their package.json `exports`', async () => {
  const found = (await entries()).map((entry) => `${entry.folder} ${entry.subpath}`);
  expect(found).toContain('client .');
  expect(found).toContain('check ./options');
  expect(found.some((entry) => entry.startsWith('test-support'))).toBe(false);
});

it('what each published package exports is what its committed API report says (pnpm api-report)', async () => {
  expect(await apiReports(true)).toEqual([]);
}, 300_000);
