import { parseArgs } from 'node:util';
import { closest, type OptionSpec, type Schema } from '@gulp-playcanvas/playcanvas-rest-client';
import { UsageError } from './errors.js';

/**
 * Command-line flags, derived from the same option tables the plugin and the Grunt task use: `projectId`
 * becomes `--project-id`, a group field `retry.retries` becomes `--retry-retries`. Each flag knows the
 * option it sets and how to read its text.
 */
export interface Flag {
  /** Without the leading dashes: `project-id`. */
  name: string;
  aliases: string[];
  /** The option it sets: `projectId`, or `retry.retries` inside a group. */
  option: string;
  read: 'boolean' | 'text' | 'number' | 'list' | 'scenes' | 'boolean-or-text' | 'url-or-false';
  doc: string;
  defaultText?: string;
  /** Help shows `--name <placeholder>`. */
  placeholder?: string;
}

export const kebab = (name: string) => name.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Options no flag sets: the token (a flag's value lands in shell history) and the programmatic hooks. */
const NO_FLAG = new Set(['token', 'env', 'fetch', 'onProgress', 'signal']);
/** Short names people expect. */
const ALIASES: Record<string, string[]> = { projectId: ['project'] };
/** Group fields whose flag is not the kebab of their path: `rateBudget.redis` is `--rate-redis`. */
const FIELD_FLAGS: Record<string, { name: string; placeholder: string }> = {
  'rateBudget.redis': { name: 'rate-redis', placeholder: 'url' },
  'rateBudget.key': { name: 'rate-key', placeholder: 'prefix' },
};

function readerFor(name: string, spec: OptionSpec): Flag['read'] {
  if (name === 'scenes') return 'scenes';
  if (name === 'checkpoint') return 'boolean-or-text';
  if (name === 'proxy') return 'url-or-false';
  switch (spec.type.kind) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'ms':
    case 'number':
      return 'number';
    default:
      return 'text';
  }
}

const stripMarkdown = (text: string) => text.replace(/`/g, '');

/** The flags for the options of some tables, groups spread into one flag per field. */
export function flagsFromTables(tables: Schema[]): Flag[] {
  const flags: Flag[] = [];
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (NO_FLAG.has(name) || flags.some((f) => f.option === name)) continue;
      if (spec.type.kind === 'group') {
        for (const [field, fieldSpec] of Object.entries(spec.type.fields)) {
          const option = `${name}.${field}`;
          const defaultText =
            fieldSpec.defaultText ?? (fieldSpec.default !== undefined ? String(fieldSpec.default) : undefined);
          const named = FIELD_FLAGS[option];
          flags.push({
            name: named?.name ?? kebab(option),
            ...(named ? { placeholder: named.placeholder } : {}),
            aliases: [],
            option,
            read: readerFor(field, fieldSpec),
            doc: stripMarkdown(fieldSpec.doc),
            ...(defaultText !== undefined ? { defaultText: stripMarkdown(defaultText) } : {}),
          });
        }
        continue;
      }
      const defaultText = spec.defaultText ?? (spec.default !== undefined ? String(spec.default) : undefined);
      flags.push({
        name: kebab(name),
        aliases: ALIASES[name] ?? [],
        option: name,
        read: readerFor(name, spec),
        doc: stripMarkdown(spec.doc) + (spec.required ? ' Required.' : ''),
        ...(defaultText !== undefined ? { defaultText: stripMarkdown(defaultText) } : {}),
      });
    }
  }
  return flags;
}

function convert(flag: Flag, raw: string | boolean): unknown {
  const text = String(raw);
  switch (flag.read) {
    case 'boolean':
      return raw;
    case 'number': {
      const value = Number(text);
      // a number the tables can judge; anything else goes to them as written, for their message
      return text.trim() !== '' && Number.isFinite(value) ? value : text;
    }
    case 'list':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'scenes':
      return text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    case 'boolean-or-text':
      return raw === true || text === '' ? true : text;
    case 'url-or-false':
      return text === 'off' || text === 'false' ? false : text;
    default:
      return text;
  }
}

export interface Parsed {
  /** Option values by option name; group fields nested (`{ retry: { retries: 3 } }`). */
  options: Record<string, unknown>;
  positionals: string[];
}

/**
 * Reads the arguments after the command. Unknown flags, a missing value, `--token`, or a flag given twice
 * are usage errors that say what to type instead.
 */
export function parseFlags(args: string[], flags: Flag[]): Parsed {
  const byName = new Map<string, Flag>();
  for (const flag of flags) for (const name of [flag.name, ...flag.aliases]) byName.set(name, flag);
  // `--checkpoint` alone means "yes"; `--checkpoint "Release 1.4"` gives its description
  const normalized: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    normalized.push(arg);
    const flag = arg.startsWith('--') && !arg.includes('=') ? byName.get(arg.slice(2)) : undefined;
    if (flag?.read === 'boolean-or-text' && (i + 1 >= args.length || (args[i + 1] as string).startsWith('--')))
      normalized.push('');
  }
  for (const arg of normalized) {
    if (arg === '--token' || arg.startsWith('--token=')) {
      throw new UsageError(
        'There is no --token flag: a value given on the command line lands in the shell history ' +
          'and the process list. Set PLAYCANVAS_API_KEY instead (in CI, from a secret)',
      );
    }
  }
  const spec: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, flag] of byName) spec[name] = { type: flag.read === 'boolean' ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: normalized,
      options: spec,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const suggestion = closest(unknown.replace(/^-+/, '').replace(/^no-/, ''), [...byName.keys()]);
      throw new UsageError(
        `Unknown flag ${unknown}${suggestion ? `: did you mean --${suggestion}?` : ''} (see --help)`,
      );
    }
    const missing = /Option '(--[^ ']+)[^']*' argument missing/.exec(message)?.[1];
    if (missing) throw new UsageError(`${missing} needs a value (see --help)`);
    throw new UsageError(`${message.replace(/\.$/, '')} (see --help)`);
  }
  const options: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const flag = byName.get(token.name) as Flag;
    if (given.has(flag.option)) throw new UsageError(`--${flag.name} was given twice: give it once`);
    given.add(flag.option);
    const raw = flag.read === 'boolean' ? !token.rawName.startsWith('--no-') : (token.value ?? '');
    const value = convert(flag, raw);
    const [group, field] = flag.option.split('.');
    if (field !== undefined)
      options[group as string] = { ...((options[group as string] as Record<string, unknown>) ?? {}), [field]: value };
    else options[flag.option] = value;
  }
  return { options, positionals: parsed.positionals };
}

/** An option name as the user typed it on the command line. */
export function flagNameFor(option: string, flags: Flag[]): string {
  const flag = flags.find((f) => f.option === option);
  return `--${flag?.name ?? kebab(option)}`;
}
