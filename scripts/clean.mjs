// `pnpm clean`: every package's dist/ and tsconfig.tsbuildinfo, and nothing else. `tsc -b` trusts the build info,
// so a file that moved or went away in src/ leaves its old output in dist/; after this, `pnpm build` starts fresh.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = join(root, 'packages');

for (const name of readdirSync(packages).sort()) {
  for (const output of ['dist', 'tsconfig.tsbuildinfo']) {
    const path = join(packages, name, output);
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    console.log(`removed ${relative(root, path)}`);
  }
}
