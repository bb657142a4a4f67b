import { PostprocessError } from './build.js';
import type { ResolvedCspOptions } from './csp-options.js';
import { cssSources } from './css-urls.js';
import { hashSource, isLocalUrl } from './html.js';
import { bootScriptEffects, type ScriptContext } from './inline-styles.js';
import { type BuildLayout, bundleTail, describeLayout } from './layout.js';
import type { PolicyBuilder } from './policy-builder.js';
import { sourceFor } from './sources.js';

const INDEX_FILE = 'index.html';

/** A script index.html runs at start: from a file of the build, inline, or (single file) from a block. */
export interface BootScript {
  /** The build file it is or came from (`data-pc-source` on a single file's inline scripts), if known. */
  path: string | undefined;
  text: () => Promise<string>;
  /** Run as an ES module (`<script type="module">`): read as one. */
  module?: boolean;
}

/** The engine, by the name the Editor gives it: no boot script of the project. */
export const isEngineFile = (path: string | undefined) =>
  path !== undefined && /^(js\/)?playcanvas[^/]*\.m?js$/.test(path);

/**
 * The inline `<script type="importmap">`: its hash (browsers check an inline import map against script-src), and
 * the origins of the modules it maps to, which the page imports from.
 */
export function importMapSources(text: string, policy: PolicyBuilder, notes: string[]): void {
  policy.add('script-src', hashSource(text), `the inline import map of ${INDEX_FILE}`);
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    notes.push(
      `the import map of ${INDEX_FILE} is not JSON: the browser ignores it, so modules it should map fail to load`,
    );
    return;
  }
  const { imports, scopes } = (typeof map === 'object' && map !== null ? map : {}) as {
    imports?: unknown;
    scopes?: unknown;
  };
  const targets: Array<[string, unknown]> = [];
  const collect = (entries: unknown) => {
    if (typeof entries === 'object' && entries !== null) targets.push(...Object.entries(entries));
  };
  collect(imports);
  if (typeof scopes === 'object' && scopes !== null) for (const scope of Object.values(scopes)) collect(scope);
  for (const [specifier, target] of targets)
    if (typeof target === 'string' && !isLocalUrl(target))
      policy.add('script-src', sourceFor(target), `the import map of ${INDEX_FILE} maps ${specifier} to ${target}`);
}

/**
 * The modules the ES module layouts run at start besides the `<script>`s of index.html: the loading screen
 * `js/index.mjs` imports. A concatenated bundle is read from its settings on (the engine before them inserts nothing).
 */
export function layoutBootScripts(
  layout: BuildLayout | undefined,
  read: (path: string) => Promise<string | undefined>,
): BootScript[] {
  if (layout?.loadingScript === undefined || !layout.name.startsWith('esm')) return [];
  const path = layout.loadingScript;
  return [{ path, module: true, text: async () => (await read(path)) ?? '' }];
}

/** The text of a boot script to read: a concatenated bundle from its settings on. */
async function readableText(script: BootScript, layout: BuildLayout | undefined): Promise<string> {
  const text = await script.text();
  if (layout?.settingsForm !== 'bundle-constants' || script.path !== layout.settingsFile) return text;
  const tail = bundleTail(text, script.path);
  if (!tail)
    throw new PostprocessError(
      `${script.path} has no settings constants: csp() cannot find the bootstrap in ${describeLayout(layout)}`,
    );
  return tail.text;
}

/**
 * What the boot scripts insert when they run (the loading screen's <style>, the start script's media query,
 * the images shown), read from their code; what only the running page knows is refused unless `byHand` says
 * the options cover it.
 */
export async function bootScriptSources(
  scripts: BootScript[],
  layout: BuildLayout | undefined,
  policy: PolicyBuilder,
  notes: string[],
  byHand: ResolvedCspOptions['byHand'],
  context: ScriptContext,
): Promise<string[]> {
  const images: string[] = [];
  const unreadable = { styles: [] as string[], images: [] as string[] };
  let culprit: string | undefined;
  // the settings and the engine insert nothing; a concatenated bundle is both, and the bootstrap too
  const skipped = new Set<string | undefined>(layout ? [] : ['__settings__.js']);
  if (layout && layout.settingsForm !== 'bundle-constants') skipped.add(layout.settingsFile).add(layout.engineFile);
  for (const script of scripts) {
    if (isEngineFile(script.path) || skipped.has(script.path)) continue;
    const source = await readableText(script, layout);
    const name = script.path ?? `an inline script of ${INDEX_FILE}`;
    const effects = bootScriptEffects(
      source,
      name,
      context,
      /createLoadingScreen/.test(source),
      script.module ? 'module' : 'script',
    );
    for (const text of effects.styles) {
      policy.add('style-src', hashSource(text), `a <style> that ${name} inserts`);
      cssSources(text, policy, `a <style> that ${name} inserts`);
    }
    images.push(...effects.images);
    notes.push(...effects.notes);
    unreadable.styles.push(...effects.unreadableStyles);
    unreadable.images.push(...effects.unreadableImages);
    if (!culprit && effects.unreadableStyles.length + effects.unreadableImages.length > 0) culprit = script.path;
  }
  for (const [what, option] of [
    ['styles', 'style'],
    ['images', 'img'],
  ] as const) {
    const found = unreadable[what];
    if (found.length === 0) continue;
    if (byHand.has(what)) {
      notes.push(...found.map((f) => `${f}: covered by hand in the ${option} option (byHand)`));
      continue;
    }
    const fix =
      what === 'styles'
        ? "give their hashes (check() reports each style it blocks) or 'unsafe-inline' with the style option"
        : 'give the origins they load from with the img option';
    const where = layout ? ` (${describeLayout(layout)})` : '';
    throw new PostprocessError(
      `csp() reads the build's scripts without running them and cannot tell ` +
        `${what === 'styles' ? 'the text of every <style>' : 'every image'} they insert${where}: ` +
        `${found.join('; ')}. Write it as plain text in the script, or ${fix} and add byHand: ` +
        `['${what}'] to say they are covered`,
      culprit,
    );
  }
  return images;
}
