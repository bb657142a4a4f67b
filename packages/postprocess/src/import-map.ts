import { PostprocessError } from './build.js';
import { pageElements } from './html.js';

const isImportMap = (type: string | undefined) => (type ?? '').trim().toLowerCase() === 'importmap';

/**
 * index.html with entries added to its inline import map's `imports` (written as the Editor writes it: JSON, two
 * spaces), or with an import map of its own before the first module script when it has none.
 */
export function withImportMapEntries(html: string, entries: Record<string, string>, file = 'index.html'): string {
  const scripts = pageElements(html).filter((t) => t.name === 'script' && !t.foreign);
  const map = scripts.find((t) => isImportMap(t.attributes.type));
  if (map && (map.attributes.src !== undefined || map.endTagStart === undefined))
    throw new PostprocessError(
      `${file}'s import map is not inline: the step cannot add to it; write it into the page`,
      file,
    );
  if (map) {
    let parsed: { imports?: Record<string, string> };
    try {
      parsed = JSON.parse(map.text);
    } catch (error) {
      throw new PostprocessError(
        `${file}'s import map is not JSON (${(error as Error).message}): browsers ignore it; fix it first`,
        file,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new PostprocessError(`${file}'s import map is no JSON object: browsers ignore it; fix it first`, file);
    const text = `\n${JSON.stringify({ ...parsed, imports: { ...parsed.imports, ...entries } }, null, 2)}\n    `;
    return html.slice(0, map.startTagEnd) + text + html.slice(map.endTagStart);
  }
  const first = scripts.find((t) => (t.attributes.type ?? '').trim().toLowerCase() === 'module');
  if (!first) throw new PostprocessError(`${file} loads no module script: it is no ES module build`, file);
  const tag = `<script type="importmap">\n${JSON.stringify({ imports: entries }, null, 2)}\n</script>\n    `;
  return html.slice(0, first.start) + tag + html.slice(first.start);
}
