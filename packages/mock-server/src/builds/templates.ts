import { readFileSync } from 'node:fs';

/**
 * The HTML and JS of the layouts, kept as files under packages/mock-server/templates/<set>: `static` (the classic
 * layout, engine 2.x AppBase bootstrap), `classic-application` (the engine 1.x `pc.Application` bootstrap).
 */
const ROOT = new URL('../../templates/', import.meta.url);
const cache = new Map<string, string>();

/** A template with every `{{name}}` replaced by its value (values are inserted as they are: escape them first). */
export function template(file: string, values: Record<string, string> = {}, set = 'static'): string {
  const key = `${set}/${file}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(new URL(key, ROOT), 'utf8');
    cache.set(key, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template ${file}: no value for ${match}`);
    return value;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
