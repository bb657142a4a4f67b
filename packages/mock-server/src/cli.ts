#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN, loadFixturesFile } from './fixtures.js';
import { startMockServer } from './server.js';

// the backslash ends the first line of the literal without a newline: the text starts at `Usage:`
const USAGE = `\
Usage: playcanvas-mock-server [--port N] [--host H] [--fixtures FILE] [--clock frozen|realtime] [--polls N]
                             [--tls-cert FILE --tls-key FILE] [--quiet]

Serves a mock of the PlayCanvas REST API. It prints "listening on <base URL>" once it is ready (a line of its own,
the first it prints), then one line per request.
  --port N         port to listen on (default 0: any free port)
  --host H         address to bind (default 127.0.0.1)
  --fixtures FILE  JSON fixtures describing tokens, projects, scenes and branches (default: built-in set)
  --clock MODE     realtime (default here: timestamps and rate-limit windows follow the wall clock) or frozen
  --polls N        polls before a job completes (default 3)
  --tls-cert FILE  serve HTTPS with this certificate (PEM; it must name the host clients use), with --tls-key
  --tls-key FILE   the certificate's private key (PEM)
  --quiet          no per-request log lines`;

function fail(message: string): never {
  process.stderr.write(`playcanvas-mock-server: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  // A reader that went away (a closed pipe) must not crash the server on its next log line.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        fixtures: { type: 'string' },
        clock: { type: 'string' },
        polls: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be an integer from 0 to 65535; got ${values.port}`);
  const polls = values.polls === undefined ? 3 : Number(values.polls);
  if (!Number.isInteger(polls) || polls < 1) fail(`--polls must be an integer of at least 1; got ${values.polls}`);
  const clock = (values.clock as string | undefined) ?? 'realtime';
  if (clock !== 'realtime' && clock !== 'frozen') fail(`--clock must be realtime or frozen; got ${clock}`);
  let fixtures: Awaited<ReturnType<typeof loadFixturesFile>> | undefined;
  try {
    fixtures = values.fixtures ? await loadFixturesFile(values.fixtures as string) : undefined;
  } catch (error) {
    fail((error as Error).message);
  }
  const certFile = values['tls-cert'] as string | undefined;
  const keyFile = values['tls-key'] as string | undefined;
  if ((certFile === undefined) !== (keyFile === undefined))
    fail('--tls-cert and --tls-key go together: give both, or neither for plain HTTP');
  let tls: { cert: Buffer; key: Buffer } | undefined;
  try {
    tls = certFile && keyFile ? { cert: await readFile(certFile), key: await readFile(keyFile) } : undefined;
  } catch (error) {
    fail(`cannot read the TLS files: ${(error as Error).message}`);
  }
  const log = values.quiet
    ? undefined
    : (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let server: Awaited<ReturnType<typeof startMockServer>>;
  try {
    server = await startMockServer({
      port,
      ...(values.host ? { host: values.host as string } : {}),
      ...(fixtures ? { fixtures } : {}),
      clock: clock === 'realtime' ? { mode: 'realtime', start: Date.now() } : { mode: 'frozen' },
      pollsToComplete: polls,
      ...(tls ? { tls } : {}),
      ...(log ? { log } : {}),
    });
  } catch (error) {
    fail(`cannot listen: ${(error as Error).message}`);
  }
  const stop = (signal: string) => {
    process.stdout.write(`received ${signal}, stopping\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Printed only once the signal handlers are in place: whoever reads the URL may stop the server at once.
  process.stdout.write(`listening on ${server.url}\n`);
  if (!values.fixtures)
    process.stdout.write(`token for the built-in fixtures: ${DEFAULT_TOKEN} (projects 1000 and 1001)\n`);
}

main().catch((error: unknown) => fail((error as Error).message));
