import { readFileSync } from 'node:fs';

/** The HTML and JS of the static layout, kept as files under mock-server/templates/static. */
const DIR = new URL('../../templates/static/', import.meta.url);
const cache = new Map<string, string>();

/** A template with every `{{name}}` replaced by its value (values are inserted as they are: escape them first). */
export function template(file: string, values: Record<string, string> = {}): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(new URL(file, DIR), 'utf8');
    cache.set(file, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template ${file}: no value for ${match}`);
    return value;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
