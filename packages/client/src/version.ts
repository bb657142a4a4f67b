import { readFileSync } from 'node:fs';

/** This package's version, as published: read from its package.json (beside both src/ and dist/). */
export const CLIENT_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
