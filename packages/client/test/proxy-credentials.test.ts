import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, createClient } from '../src/index.js';
import { expectNoSecret, TOKEN } from './helpers.js';

// Passwords holding the characters that end a URL's user-info or host early when left unencoded.
const PASSWORDS = ['pw/sl4sh', 'pw sp4ce', 'pw@at4', 'pw#h4sh', 'pw?qu3ry'];

/** The error createClient throws (or undefined), and whatever it made, both searched for the password. */
function attempt(options: Parameters<typeof createClient>[0]): unknown {
  try {
    return createClient(options);
  } catch (error) {
    return error;
  }
}

function expectPasswordNowhere(made: unknown, password: string): void {
  expectNoSecret(made, password);
  expect(inspect(made, { showHidden: true, depth: 10 })).not.toContain(password);
}

describe('a proxy URL whose password holds / space @ # or ?', () => {
  it.each(PASSWORDS)(
    '%j: never echoed, from HTTPS_PROXY or the proxy option, with a scheme or without, the host good or bad',
    (password) => {
      const forms = [
        `http://builder:${password}@proxy.corp.test:3128`,
        `builder:${password}@proxy.corp.test:3128`,
        // a host that does not parse either: refused whatever the password holds
        `http://builder:${password}@[proxy.corp.test:3128`,
      ];
      for (const url of forms) {
        for (const made of [
          attempt({ token: TOKEN, env: { HTTPS_PROXY: url } }),
          attempt({ token: TOKEN, proxy: url }),
        ]) {
          expectPasswordNowhere(made, password);
          // either it parsed, the password kept whole, or it was refused saying how to write it
          if (made instanceof Error) {
            expect(made).toBeInstanceOf(ConfigError);
            expect(made.message).toMatch(/proxy\.corp\.test:3128/);
            expect(made.message).toMatch(/percent-encode any \/ \? # @ % or space in them/);
          }
        }
      }
    },
  );

  it('a password long enough to push the host past the shown length is still cut out', () => {
    const password = `long/${'x'.repeat(300)}`;
    const made = attempt({ token: TOKEN, env: { HTTPS_PROXY: `http://builder:${password}@proxy.corp.test:3128` } });
    expect(made).toBeInstanceOf(ConfigError);
    expectPasswordNowhere(made, 'long/xxxx');
  });

  it(
    'a URL that parses only by misreading the password (a # after digits) ' +
      'is refused, not routed to the wrong host',
    () => {
      const made = attempt({ token: TOKEN, env: { HTTPS_PROXY: 'http://builder:3128#secret@proxy.corp.test:3128' } });
      expect(made).toBeInstanceOf(ConfigError);
      expect((made as Error).message).toBe(
        'The HTTPS_PROXY variable "http://proxy.corp.test:3128" has a path, ' +
          'query or fragment after its host, which a proxy URL has not: ' +
          'give one such as http://proxy.example.com:3128 (its user name and password are not shown; ' +
          'percent-encode any / ? # @ % or space in them: %2F %3F %23 %40 %25 %20)',
      );
      expectPasswordNowhere(made, 'secret');
    },
  );

  it(
    'a proxy URL with a path and no credentials is refused without the hint about passwords; ' +
      'a trailing slash is fine',
    () => {
      const made = attempt({ token: TOKEN, env: { HTTPS_PROXY: 'http://proxy.corp.test:3128/proxy.pac' } });
      expect((made as Error).message).toBe(
        'The HTTPS_PROXY variable "http://proxy.corp.test:3128/proxy.pac" has a path, ' +
          'query or fragment after its host, which a proxy URL has not: ' +
          'give one such as http://proxy.example.com:3128',
      );
      expect(attempt({ token: TOKEN, env: { HTTPS_PROXY: 'http://proxy.corp.test:3128/' } })).not.toBeInstanceOf(Error);
    },
  );
});

describe('a proxy URL whose password holds a bare %', () => {
  it('is refused when the client is made, naming the proxy and how to encode it, not later as a network error', () => {
    const made = attempt({ token: TOKEN, env: { HTTPS_PROXY: 'http://builder:S3CR3T%x@proxy.corp.test:3128' } });
    expect(made).toBeInstanceOf(ConfigError);
    expect((made as Error).message).toBe(
      'The HTTPS_PROXY variable "http://proxy.corp.test:3128" has a user name or password that is not ' +
        'percent-encoded (its user name and password are not shown; ' +
        'percent-encode any / ? # @ % or space in them: %2F %3F %23 %40 %25 %20)',
    );
    expectPasswordNowhere(made, 'S3CR3T');
    expect(
      attempt({ token: TOKEN, env: { HTTPS_PROXY: 'http://builder:S3CR3T%25x@proxy.corp.test:3128' } }),
    ).not.toBeInstanceOf(Error);
  });
});
