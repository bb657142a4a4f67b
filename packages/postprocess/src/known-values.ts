/** A value read from a script without running it: JSON-like data. */
export type StaticValue = string | number | boolean | null | undefined | StaticValue[] | { [key: string]: StaticValue };

/** What a script computes only when it runs. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Known = StaticValue | typeof UNKNOWN;
type Primitive = string | number | boolean | null | undefined;

/** Longer strings are not folded: a few doublings (`b = a + a`) would otherwise fill the memory. */
export const MAX_LENGTH = 4 * 1024 * 1024;

export const isPrimitive = (v: Known): v is Primitive => v === null || (typeof v !== 'object' && typeof v !== 'symbol');

/** A primitive as JavaScript's `+` and template literals spell it, with null and undefined as ''. */
export const text = (v: Primitive) => (v === null || v === undefined ? '' : String(v));
export const capped = (v: string): Known => (v.length > MAX_LENGTH ? UNKNOWN : v);

/** `a <operator> b` on two known values: `+` on strings and numbers, `-`, `*`, `/` on numbers. */
export function binaryOf(operator: string, a: Known, b: Known): Known {
  if (!isPrimitive(a) || !isPrimitive(b)) return UNKNOWN;
  if (operator === '+') {
    if (typeof a === 'string' || typeof b === 'string') return capped(text(a) + text(b));
    return typeof a === 'number' && typeof b === 'number' ? a + b : UNKNOWN;
  }
  if (typeof a !== 'number' || typeof b !== 'number') return UNKNOWN;
  if (operator === '-') return a - b;
  if (operator === '*') return a * b;
  if (operator === '/') return a / b;
  return UNKNOWN;
}

/** `object[key]` on a known value: an array's or a string's length, an array's element, an object's own property. */
export function propertyOf(object: Known, key: Known): Known {
  if (
    object === UNKNOWN ||
    object === null ||
    object === undefined ||
    (typeof key !== 'string' && typeof key !== 'number')
  )
    return UNKNOWN;
  if (key === 'length' && (typeof object === 'string' || Array.isArray(object))) return object.length;
  if (Array.isArray(object) && typeof key === 'number') return key in object ? object[key] : undefined;
  if (typeof object === 'object' && !Array.isArray(object)) return Object.hasOwn(object, key) ? object[key] : undefined;
  return UNKNOWN;
}

/** `array.join(separator)` and `string.concat(...)` on known values; no other method is called. */
export function methodCallOf(method: string, object: Known, args: Known[]): Known {
  if (!args.every(isPrimitive)) return UNKNOWN;
  if (method === 'join' && Array.isArray(object) && object.every(isPrimitive)) {
    const separator = args[0] === undefined ? ',' : text(args[0]);
    return capped((object as Primitive[]).map(text).join(separator));
  }
  if (method === 'concat' && typeof object === 'string') return capped(object + args.map(text).join(''));
  return UNKNOWN;
}
