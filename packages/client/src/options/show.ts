/**
 * A value as the user gave it, for messages: NaN, Infinity, undefined and functions as themselves (JSON would
 * turn the first two into null and drop the last two), strings quoted and cut short.
 */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name ? `a function (${value.name})` : 'a function';
    case 'symbol':
      return value.toString();
    case 'string':
      return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.slice(0, 5).map(show).join(', ')}${value.length > 5 ? ', …' : ''}]`;
  if (value instanceof Date) return `a Date (${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `a ${proto?.constructor?.name ?? 'object'}`;
  const entries = Object.entries(value as object);
  return `{ ${entries
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${show(v)}`)
    .join(', ')}${entries.length > 5 ? ', …' : ''} }`;
}
