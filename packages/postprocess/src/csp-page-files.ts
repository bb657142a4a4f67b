import { type BuildSource, PostprocessError, readText } from './build.js';
import { buildPathOf, isLocalUrl, type Tag } from './html.js';
import { type BuildLayout, describeLayout, type LayoutFiles, readLayout } from './layout.js';
import { type LayoutSettings, layoutSettings } from './settings.js';
import { BLOCK, decodeBlock, isBlock, SOURCE_ATTRIBUTE } from './single-file-format.js';

export const INDEX_FILE = 'index.html';

/**
 * The build's files as the page gets them: from the build, or, in a single file, from the block or inline
 * script that carries them.
 */
export function fileReader(build: BuildSource, scripts: Tag[]): (path: string) => Promise<string | undefined> {
  const blocks = new Map<string, Tag>();
  const inline = new Map<string, Tag>();
  for (const t of scripts) {
    const file = t.attributes[BLOCK.file];
    const source = t.attributes[SOURCE_ATTRIBUTE];
    if (isBlock(t) && file !== undefined && !blocks.has(file)) blocks.set(file, t);
    if (source !== undefined && !inline.has(source)) inline.set(source, t);
  }
  return async (path) => {
    if (build.paths.has(path)) return readText(build, path, `${INDEX_FILE} needs`);
    const block = blocks.get(path);
    if (block) return decodeBlock(block).toString('utf8');
    return inline.get(path)?.text;
  };
}

/**
 * The build's layout and settings, read through the files the page gets (a single file's blocks included). A
 * page that is no PlayCanvas layout gets a policy for what index.html loads, with a note saying so.
 */
export async function layoutOf(
  build: BuildSource,
  scripts: Tag[],
  read: (path: string) => Promise<string | undefined>,
  notes: string[],
): Promise<{ layout?: BuildLayout; settingsRead?: LayoutSettings }> {
  // a single file carries the build's files in blocks, and its boot scripts inline (data-pc-source names the file)
  const blockFiles = scripts.flatMap((t) =>
    isBlock(t) ? (t.attributes[BLOCK.file] ?? []) : (t.attributes[SOURCE_ATTRIBUTE] ?? []),
  );
  const files: LayoutFiles = { paths: new Set([...build.paths, ...blockFiles]), read };
  let layout: BuildLayout;
  try {
    layout = await readLayout(files);
  } catch (error) {
    if (!(error instanceof PostprocessError)) throw error;
    notes.push(error.message.split('. ')[0] ?? error.message);
    return {};
  }
  const text = await read(layout.settingsFile);
  if (text === undefined)
    throw new PostprocessError(`${describeLayout(layout)} without ${layout.settingsFile}: download the build again`);
  return { layout, settingsRead: layoutSettings(layout, text) };
}

/**
 * The build's config.json where CONFIG_FILENAME names it: next to the page, or under the asset prefix (assetPrefix()
 * puts it there).
 */
export function configPathOf(configFilename: string, assetPrefix: string): string | undefined {
  if (assetPrefix !== '' && configFilename.startsWith(assetPrefix))
    return buildPathOf(configFilename.slice(assetPrefix.length));
  return isLocalUrl(configFilename) ? buildPathOf(configFilename) : undefined;
}
