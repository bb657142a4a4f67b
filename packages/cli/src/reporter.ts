import type { LogWriter } from '@gulp-playcanvas/playcanvas-pipeline';

export const PROGRAM = 'playcanvas-build';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Human lines go to stderr (quiet with --quiet, except errors), the JSON result alone to stdout, so
 * `playcanvas-build build ... --json > result.json` keeps the log on the terminal and the data in the file.
 */
export class Reporter {
  constructor(
    private readonly io: Io,
    private readonly quiet: boolean,
  ) {}

  readonly write: LogWriter = (level, line) => {
    if (this.quiet) return;
    this.io.stderr(`${PROGRAM}: ${level === 'warn' ? 'warning: ' : ''}${line}\n`);
  };

  info(line: string): void {
    this.write('info', line);
  }

  warn(line: string): void {
    this.write('warn', line);
  }

  error(message: string): void {
    this.io.stderr(`${PROGRAM}: error: ${message}\n`);
  }

  json(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }
}
