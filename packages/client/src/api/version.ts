import { readFileSync } from 'node:fs';

/** This package's version, as published: read from its package.json (two levels up from src/api/ and dist/api/). */
export const CLIENT_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
