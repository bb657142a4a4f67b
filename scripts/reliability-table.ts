import type { MatrixCase } from 'test-support/fault-matrix';

export const RELIABILITY_DOC = 'docs/RELIABILITY.md';
export const MARKERS = {
  begin:
    '<!-- fault-matrix:begin (generated from packages/test-support/src/fault-matrix/cases.ts by `pnpm generate`; ' +
    'the tests check it) -->',
  end: '<!-- fault-matrix:end -->',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The matrix as a Markdown table: each case and what it must end with (the test holds every row to it). */
export function renderReliability(cases: MatrixCase[]): string {
  const rows = cases.map((c) => {
    const outcome =
      c.expected.outcome === 'recovers'
        ? 'recovers: the build is written'
        : `fails with ${c.expected.error}: ${c.expected.message}`;
    return `| ${c.phase} | ${cell(c.fault)} | ${cell(outcome)} |`;
  });
  return ['| phase | fault | outcome (`{...}`: varies between runs) |', '| --- | --- | --- |', ...rows].join('\n');
}
