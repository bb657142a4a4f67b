import { createRequire } from 'node:module';

/**
 * The part of Rollup's API the concatenated ES module build uses, typed here. Rollup's own type declarations
 * augment the global `estree` module (`decorators` on classes), which would break the acorn and eslint-scope
 * typings of other packages compiled in the same TypeScript program (the tests): so Rollup is loaded untyped.
 */
export interface BundlePlugin {
  name: string;
  resolveId(source: string, importer: string | undefined): string | { id: string; external: true };
  load(id: string): string | null;
  transform(code: string, id: string): Promise<{ code: string; map: null }>;
}

export interface BundleOutput {
  fileName: string;
  type: 'chunk' | 'asset';
  code?: string;
}

export interface Bundle {
  cache: unknown;
  generate(options: {
    format: 'es';
    entryFileNames: string;
    chunkFileNames: string;
    manualChunks: (id: string) => string | undefined;
  }): Promise<{ output: BundleOutput[] }>;
  close(): Promise<void>;
}

export interface RollupOptions {
  input: string;
  plugins: BundlePlugin[];
  onLog: () => void;
  cache: unknown;
  treeshake: boolean;
}

export type Rollup = (options: RollupOptions) => Promise<Bundle>;

export const rollup = (createRequire(import.meta.url)('rollup') as { rollup: Rollup }).rollup;
