import { ConfigError } from '../common/index.js';
import { show } from './show.js';
import { closest } from './suggest.js';

/**
 * Options are declared once, as tables of OptionSpec: validation, defaults, the generated TypeScript
 * declarations (their doc comments) and the README tables all come from the same entry.
 */
export type OptionType =
  | { kind: 'boolean' }
  /** `nonEmpty` refuses ''; `atMost`/`under` bound the length; `expect` words what is wanted. */
  | { kind: 'string'; nonEmpty?: boolean; atMost?: number; under?: number; expect?: string }
  /** A positive number of milliseconds. */
  | { kind: 'ms' }
  /** An integer of at least `min` (default 1). */
  | { kind: 'integer'; min?: number }
  /** A finite number of at least `min`. */
  | { kind: 'number'; min: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'function' }
  | { kind: 'signal' }
  /** A nested group with fields of its own (retry, poll): partial input, completed from the fields' defaults. */
  | { kind: 'group'; fields: Schema }
  /** Anything else: `check` throws a ConfigError (through `fail`) when the value is wrong. */
  | { kind: 'custom'; check: (value: unknown, name: string) => void };

export interface OptionSpec {
  type: OptionType;
  /** The TypeScript type in the generated declarations; derived from the kind when absent. */
  ts?: string;
  /** Applied when the option is absent (or undefined). */
  default?: unknown;
  /** How the docs show the default, when it is not a literal (an environment variable, the OS temp folder...). */
  defaultText?: string;
  /** Required options say what to give when missing. */
  required?: string;
  doc: string;
}

export type Schema = Readonly<Record<string, OptionSpec>>;

declare const resolvedBrand: unique symbol;
/**
 * Options as a resolver returns them, checked against their table once and completed with its defaults (as
 * Vite's ResolvedConfig is to its UserConfig): the raw type (BuildOptions) is what users give, this is what the
 * inside takes, and only a resolver makes one (the brand is a type, nothing at run time).
 */
export type Resolved<T> = Readonly<T> & { readonly [resolvedBrand]: true };

export function fail(name: string, problem: string): never {
  throw new ConfigError(`Option ${name} ${problem}`, name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValue(spec: OptionSpec, value: unknown, name: string): unknown {
  const type = spec.type;
  const got = `; got ${show(value)}`;
  switch (type.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(name, `must be true or false${got}`);
      return value;
    case 'string': {
      const want = type.expect ?? (type.nonEmpty ? 'a non-empty string' : 'a string');
      if (typeof value !== 'string' || (type.nonEmpty && value.trim() === '')) fail(name, `must be ${want}${got}`);
      if (type.atMost !== undefined && value.length > type.atMost)
        fail(name, `is ${value.length} characters long; it must be at most ${type.atMost}`);
      if (type.under !== undefined && value.length >= type.under)
        fail(name, `is ${value.length} characters long; it must be under ${type.under}`);
      return value;
    }
    case 'ms':
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
        fail(name, `must be a positive number of milliseconds${got}`);
      return value;
    case 'integer': {
      const min = type.min ?? 1;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
        fail(
          name,
          `must be a ${min === 1 ? 'positive' : min === 0 ? 'non-negative' : `${min} or greater`} integer${got}`,
        );
      return value;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(name, `must be a number of at least ${type.min}${got}`);
      if (value < type.min) fail(name, `must be at least ${type.min}${got}`);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !type.values.includes(value))
        fail(name, `must be ${wordsFor(type.values)}${got}`);
      return value;
    case 'function':
      if (typeof value !== 'function') fail(name, `must be a function${got}`);
      return value;
    case 'signal':
      if (!(value instanceof AbortSignal)) fail(name, `must be an AbortSignal (from an AbortController)${got}`);
      return value;
    case 'group': {
      const fields = Object.keys(type.fields);
      if (!isPlainObject(value)) fail(name, `must be an object with ${fields.join(', ')}${got}`);
      for (const key of Object.keys(value))
        if (!fields.includes(key)) fail(`${name}.${key}`, `is unknown; use ${fields.join(', ')}`);
      return resolveWith(type.fields, value, name);
    }
    case 'custom':
      type.check(value, name);
      return value;
  }
}

function wordsFor(values: readonly string[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  return quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : `one of ${quoted.join(', ')}`;
}

/** Every field checked, every default applied; undefined counts as absent, so it can never override a default. */
function resolveWith(schema: Schema, input: Record<string, unknown>, prefix?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const value = input[key];
    if (value === undefined) {
      if (spec.required !== undefined) fail(name, `is required: ${spec.required}`);
      if (spec.type.kind === 'group') out[key] = resolveWith(spec.type.fields, {}, name);
      else if (spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    out[key] = checkValue(spec, value, name);
  }
  return Object.freeze(out);
}

export interface ResolveOptions {
  /** Names the option set in "Option x is not a build option". */
  label: string;
  /** Lists the known options in that message (for small sets). */
  listKnown?: boolean;
  /** Keys that belong to another table and are left alone. */
  otherKeys?: ReadonlySet<string>;
  /** Defaults instead of the table's, for this resolution only (a test's, say): checked as given values are. */
  defaults?: Readonly<Record<string, unknown>>;
}

const article = (label: string) => (/^[aeiou]/.test(label) ? 'an' : 'a');

/**
 * Refuses every key of `input` that `known` lacks, all in one message, each with the nearest known name when
 * one is near (`closest`, the CLI's flag suggestions too): "Options projectID (did you mean projectId?) and
 * sceens (did you mean scenes?) are not playcanvas() options".
 */
export function refuseUnknownKeys(
  input: Record<string, unknown>,
  known: readonly string[],
  label: string,
  listKnown = false,
): void {
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const hintFor = (key: string): string | undefined => {
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (camel !== key && known.includes(camel)) return `options are camelCase: ${camel}`;
    const near = closest(key, known);
    return near ? `did you mean ${near}?` : undefined;
  };
  const listed = listKnown ? ` (${known.join(', ')})` : '';
  if (unknown.length === 1) {
    const key = unknown[0] as string;
    const hint = hintFor(key);
    throw new ConfigError(`Option ${key} is not ${article(label)} ${label} option${hint ? ` (${hint})` : listed}`, key);
  }
  const named = unknown.slice(0, 10).map((key) => {
    const hint = hintFor(key);
    return hint ? `${key} (${hint})` : key;
  });
  if (unknown.length > 10) named.push(`${unknown.length - 10} more`);
  const list = `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  throw new ConfigError(`Options ${list} are not ${label} options${listed}`, unknown[0]);
}

/** Checks `input` against the tables and returns a frozen object with every default applied. */
export function resolveOptions(schema: Schema, input: unknown, how: ResolveOptions): Record<string, unknown> {
  if (!isPlainObject(input))
    throw new ConfigError(
      `${how.label[0]?.toUpperCase()}${how.label.slice(1)} options must be an object; got ${show(input)}`,
    );
  const own = Object.fromEntries(Object.entries(input).filter(([key]) => !how.otherKeys?.has(key)));
  refuseUnknownKeys(own, Object.keys(schema), how.label, how.listKnown);
  if (!how.defaults) return resolveWith(schema, input);
  refuseUnknownKeys(how.defaults, Object.keys(schema), how.label, how.listKnown);
  const given = Object.entries(input).filter(([, value]) => value !== undefined);
  return resolveWith(schema, { ...how.defaults, ...Object.fromEntries(given) });
}

/** The keys of the input that a table knows. */
export function pick(input: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

// --- documentation, generated from the same tables

function tsType(spec: OptionSpec): string {
  if (spec.ts) return spec.ts;
  switch (spec.type.kind) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'ms':
    case 'integer':
    case 'number':
      return 'number';
    case 'enum':
      return spec.type.values.map((v) => `'${v}'`).join(' | ');
    case 'function':
      return '(...args: never[]) => unknown';
    case 'signal':
      return 'AbortSignal';
    default:
      return 'unknown';
  }
}

function defaultWords(spec: OptionSpec): string {
  if (spec.required !== undefined) return 'required';
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.type.kind === 'group') {
    const parts = Object.entries(spec.type.fields).map(([k, f]) => `${k}: ${literal(f.default)}`);
    return `\`{ ${parts.join(', ')} }\``;
  }
  if (spec.default === undefined) return '';
  return `\`${literal(spec.default)}\``;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 10_000)
    return value.toLocaleString('en').replace(/,/g, '_');
  return String(value);
}

/** The generated files keep to the house's 120 columns (measured in UTF-8 bytes, as awk counts, to be safe). */
const LINE_WIDTH = 120;
const width = (text: string) => Buffer.byteLength(text);

/** A doc comment on one line when it fits, else wrapped at word boundaries within LINE_WIDTH. */
function docComment(text: string, indent = ''): string[] {
  const safe = text.replace(/\*\//g, '*\\/');
  if (width(`${indent}/** ${safe} */`) <= LINE_WIDTH) return [`${indent}/** ${safe} */`];
  const lines: string[] = [];
  let line = '';
  for (const word of safe.split(' ')) {
    if (line !== '' && width(`${indent} * ${line} ${word}`) > LINE_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

/** A TypeScript interface with a doc comment per option; `complete` makes every field required (a resolved group). */
export function renderInterface(name: string, schema: Schema, doc: string, complete = false): string {
  const lines = [...docComment(doc), `export interface ${name} {`];
  for (const [key, spec] of Object.entries(schema)) {
    const dflt = defaultWords(spec).replace(/`/g, '');
    const comment = `${spec.doc}${dflt && dflt !== 'required' ? ` Default: ${dflt}.` : ''}`;
    lines.push(...docComment(comment, '  '));
    lines.push(`  ${key}${complete || spec.required !== undefined ? '' : '?'}: ${tsType(spec)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** Markdown rows: option, default, what it does. */
export function renderTable(schemas: Schema[]): string {
  const rows = ['| option | default | what it does |', '| --- | --- | --- |'];
  for (const schema of schemas) {
    for (const [key, spec] of Object.entries(schema)) {
      rows.push(`| \`${key}\` | ${defaultWords(spec).replace(/\|/g, '\\|')} | ${spec.doc.replace(/\|/g, '\\|')} |`);
    }
  }
  return rows.join('\n');
}
