import { allFlags } from './cli-flags.js';
import type { Flag } from './flags.js';

/**
 * The GitHub Action's inputs mirror the CLI's flags (build and export), by the flag's name: `project-id`,
 * `engine-version`, `check`... `action.yml` lists them, generated from here by `pnpm generate`.
 */
export interface ActionInput {
  name: string;
  description: string;
  default?: string;
  /** The flag the input sets; none for the Action's own inputs (token, command). */
  flag?: Flag;
}

/** Flags the Action sets itself: it reads the result as JSON, and the log is the runner's. */
const SET_BY_THE_ACTION = new Set(['json', 'quiet']);

/** How an input's text is read, when it is not plain text. */
const READS: Partial<Record<Flag['read'], string>> = {
  boolean: ' (true or false)',
  list: ' (comma-separated)',
  scenes: ' (comma-separated)',
  'boolean-or-text': ' (true, or a text)',
  'url-or-false': ' (a URL, or off)',
};

export const ACTION_OUTPUTS: Record<string, string> = {
  'job-id': 'The id of the PlayCanvas job that made the build.',
  'checkpoint-id': 'The checkpoint made first (with the checkpoint input), or the one built from, if known.',
  'engine-version': 'The engine version the build uses.',
  out: 'The folder (or with zip, the folder of the archive) that was written, as an absolute path.',
  files: 'How many files were written.',
  bytes: 'How many bytes were written.',
};

export function actionInputs(): ActionInput[] {
  const inputs: ActionInput[] = [
    {
      name: 'token',
      description:
        'The PlayCanvas API token, from a secret (secrets.PLAYCANVAS_API_KEY); masked in the log. ' +
        'Default: the PLAYCANVAS_API_KEY environment variable.',
    },
    {
      name: 'command',
      description: 'What to make: `build` (the app) or `export` (the project archive).',
      default: 'build',
    },
  ];
  const seen = new Set<string>();
  for (const flag of [...allFlags('build'), ...allFlags('export')]) {
    if (SET_BY_THE_ACTION.has(flag.name) || seen.has(flag.name)) continue;
    seen.add(flag.name);
    const defaultText = flag.name === 'out' ? undefined : flag.defaultText;
    const doc = flag.doc.replace(/ Required\.$/, '');
    const defaultSentence = defaultText ? ` Default: ${defaultText}.` : '';
    inputs.push({
      name: flag.name,
      description: `${doc}${defaultSentence}${READS[flag.read] ?? ''}`,
      ...(flag.name === 'out' ? { default: 'build' } : {}),
      flag,
    });
  }
  return inputs;
}

/**
 * A YAML scalar as the formatter writes it: double quotes (JSON's escapes are YAML's), single when that spares escapes.
 */
function yamlString(text: string): string {
  const double = JSON.stringify(text);
  return text.includes('"') && !text.includes("'") && double === `"${text.replace(/"/g, '\\"')}"`
    ? `'${text}'`
    : double;
}

/** The inputs and outputs of action.yml, as YAML. */
export function renderActionInterface(): string {
  const lines = ['inputs:'];
  for (const input of actionInputs()) {
    lines.push(`  ${input.name}:`, `    description: ${yamlString(input.description)}`, '    required: false');
    if (input.default !== undefined) lines.push(`    default: ${yamlString(input.default)}`);
  }
  lines.push('outputs:');
  for (const [name, description] of Object.entries(ACTION_OUTPUTS))
    lines.push(`  ${name}:`, `    description: ${yamlString(description)}`);
  return lines.join('\n');
}
