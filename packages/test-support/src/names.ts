import { readFileSync } from 'node:fs';

/**
 * What a message tells the user to set, parsed out of its text, so that a test can hold every message to the
 * host that prints it: the CLI has flags and environment variables, the gulp plugin and the Grunt task options.
 */
export interface HostNames {
  /** `--engine-version`; without `--no-`. */
  flags: ReadonlySet<string>;
  /** `engineVersion`, `check.browser`. */
  options: ReadonlySet<string>;
  variables: ReadonlySet<string>;
}

export interface Named {
  flags: string[];
  options: string[];
  variables: string[];
}

/** The options of a README's generated option tables (`| \`name\` | default | what it does |`). */
export function optionsInReadme(path: string | URL): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^\| `([A-Za-z][\w.]*)` \|/gm)].map((m) => m[1] as string);
}

/** The flags (`--x`) and the environment variables (NAME_LIKE_THIS) a text names: what `--help` lists, say. */
export function flagsAndVariablesIn(text: string): Named {
  return {
    flags: [...new Set([...text.matchAll(/(?<![\w-])--(?:no-)?([a-z][a-z0-9-]*)/g)].map((m) => `--${m[1]}`))],
    options: [],
    variables: [...new Set([...text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]))],
  };
}

/**
 * The names a message gives the user to set: flags, environment variables, and options (`the x option`,
 * `Option x`, `x: value`, `did you mean x?`, and any camelCase word that is an option somewhere, in `anyOption`).
 */
export function namesIn(message: string, anyOption: ReadonlySet<string>): Named {
  const { flags, variables } = flagsAndVariablesIn(message);
  const options = new Set<string>();
  for (const m of message.matchAll(/\bthe ([A-Za-z][\w.]*) option\b/g)) options.add(m[1] as string);
  for (const m of message.matchAll(/\bOptions? ([A-Za-z][\w.]*)/g)) options.add(m[1] as string);
  for (const m of message.matchAll(/\bdid you mean ([A-Za-z][\w.]*)\?/g)) options.add(m[1] as string);
  for (const m of message.matchAll(/\b([A-Za-z][\w.]*): (?:'|true\b|false\b|\d)/g)) options.add(m[1] as string);
  for (const m of message.matchAll(/\b[a-z]+[A-Z][A-Za-z]*\b/g)) if (anyOption.has(m[0])) options.add(m[0]);
  return { flags, options: [...options], variables };
}

/** What a message names that its host does not have; `typed` are the wrong names the user gave (quoted back). */
export function namesMissing(
  message: string,
  host: HostNames,
  anyOption: ReadonlySet<string>,
  typed: string[] = [],
): string[] {
  const named = namesIn(message, anyOption);
  const missing = [
    ...named.flags.filter((flag) => !host.flags.has(flag)),
    ...named.options.filter((option) => !host.options.has(option)).map((option) => `option ${option}`),
    ...named.variables.filter((variable) => !host.variables.has(variable)),
  ];
  return missing.filter((name) => !typed.some((t) => name === t || name === `option ${t}`));
}
