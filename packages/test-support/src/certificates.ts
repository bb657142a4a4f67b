import { generate } from 'selfsigned';

export interface KeyPair {
  cert: string;
  key: string;
}

/** A private CA and server certificates for HTTPS tests: one good, and one for each way a certificate fails. */
export interface TestCertificates {
  /** The private CA (PEM) that signed `server`, `expired` and `wrongHost`: what NODE_EXTRA_CA_CERTS would point at. */
  ca: string;
  /** For localhost, 127.0.0.1 and ::1, signed by `ca`. */
  server: KeyPair;
  /** Like `server`, but valid in January 2020 only. */
  expired: KeyPair;
  /** Signed by `ca`, for wrong.example.test only. */
  wrongHost: KeyPair;
  /** For localhost and 127.0.0.1, signed by its own key. */
  selfSigned: KeyPair;
}

type Extensions = NonNullable<NonNullable<Parameters<typeof generate>[1]>['extensions']>;
type AltNames = Extract<Extensions[number], { name: 'subjectAltName' }>['altNames'];

const LOCAL_NAMES: AltNames = [
  { type: 2, value: 'localhost' },
  { type: 7, ip: '127.0.0.1' },
  { type: 7, ip: '::1' },
];

function leaf(altNames: AltNames): Extensions {
  return [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ];
}

/** Made afresh (EC keys, about 100 ms): call it once per test file. */
export async function makeCertificates(): Promise<TestCertificates> {
  const base = { keyType: 'ec', algorithm: 'sha256' } as const;
  const name = (cn: string) => [{ name: 'commonName', value: cn }];
  const ca = await generate(name('gulp-playcanvas test CA'), {
    ...base,
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const signer = { ca: { key: ca.private, cert: ca.cert } };
  const [server, expired, wrongHost, selfSigned] = await Promise.all([
    generate(name('localhost'), { ...base, ...signer, extensions: leaf(LOCAL_NAMES) }),
    generate(name('localhost'), {
      ...base,
      ...signer,
      notBeforeDate: new Date('2020-01-01T00:00:00Z'),
      notAfterDate: new Date('2020-02-01T00:00:00Z'),
      extensions: leaf(LOCAL_NAMES),
    }),
    generate(name('wrong.example.test'), {
      ...base,
      ...signer,
      extensions: leaf([{ type: 2, value: 'wrong.example.test' }]),
    }),
    generate(name('localhost'), { ...base, extensions: leaf(LOCAL_NAMES) }),
  ]);
  const pair = (made: { cert: string; private: string }): KeyPair => ({ cert: made.cert, key: made.private });
  return {
    ca: ca.cert,
    server: pair(server),
    expired: pair(expired),
    wrongHost: pair(wrongHost),
    selfSigned: pair(selfSigned),
  };
}
