// pnpm bench's flags, for running a subset quickly while iterating:
//   pnpm bench --only large --rounds 3 --contenders cli,unzip --no-throttled --no-polling
// A subset prints its tables and targets but leaves RESULTS.md alone: that file holds full runs only.
import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Size labels' keys to run (small, large, twice); all when empty. */
  only: string[];
  /** Rounds per size instead of each size's own. */
  rounds: number | undefined;
  /** Contender keys to run (see contenders.ts); all when empty. */
  contenders: string[];
  throttled: boolean;
  throttledRounds: number | undefined;
  polling: boolean;
  /** Another build of the CLI (its dist/bin.js), run beside ours as "cli-base": a change against the previous. */
  baseCli: string | undefined;
  /** Whether this is the full run that RESULTS.md records. */
  full: boolean;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function benchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      only: { type: 'string' },
      rounds: { type: 'string' },
      contenders: { type: 'string' },
      'no-throttled': { type: 'boolean' },
      'throttled-rounds': { type: 'string' },
      'no-polling': { type: 'boolean' },
      'base-cli': { type: 'string' },
    },
    strict: true,
  });
  const count = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, got ${value}`);
    return n;
  };
  const args: Omit<BenchArgs, 'full'> = {
    only: list(values.only),
    rounds: count('rounds', values.rounds),
    contenders: list(values.contenders),
    throttled: !values['no-throttled'],
    throttledRounds: count('throttled-rounds', values['throttled-rounds']),
    polling: !values['no-polling'],
    baseCli: values['base-cli'],
  };
  const full =
    args.only.length === 0 &&
    args.rounds === undefined &&
    args.contenders.length === 0 &&
    args.throttled &&
    args.throttledRounds === undefined &&
    args.polling &&
    args.baseCli === undefined;
  return { ...args, full };
}
