// `pnpm pack-all [folder]`: the publishable packages as npm tarballs (pnpm pack: workspace versions written
// as real ones), for installing from a clone until they are on npm: `npm install ./vendor/*.tgz`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Dependencies first: an install of some of them needs the ones they use. */
export const PUBLISHED = [
  'packages/client',
  'packages/pipeline',
  'packages/check',
  'packages/postprocess',
  'packages/gulp-playcanvas',
  'packages/cli',
  'packages/grunt-playcanvas',
  'packages/mock-server',
];

export function packAll(destination) {
  const out = resolve(destination);
  mkdirSync(out, { recursive: true });
  for (const folder of PUBLISHED) {
    execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: resolve(root, folder),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return readdirSync(out)
    .filter((name) => name.endsWith('.tgz'))
    .map((name) => resolve(out, name));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const file of packAll(process.argv[2] ?? 'vendor')) console.log(file);
}
