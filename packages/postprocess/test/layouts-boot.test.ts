import { BuildCheckError, type Problem } from 'playcanvas-build-check';
import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect } from 'vitest';
import { cspStep, processFiles } from '../src/index.js';
import { QUICK, useLab } from './helpers.js';

const lab = useLab();

async function problems(files: ReadonlyMap<string, Buffer>, until = SCRIPTS_RAN): Promise<Problem[]> {
  try {
    await lab.checker.check(files, { ...QUICK, until });
    return [];
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return error.problems;
  }
}

describe('every transform boots on every layout', () => {
  browserTest("csp(): a classic build whose index.html fills its first <style> (as a real 2.13 export's does) boots under its policy", async () => {
    const build = await buildFiles(lab.server);
    const html = build.get('index.html')?.toString() ?? '';
    expect(html).toContain('<style></style>');
    // __start__.js appends the media query with innerHTML +=, which empties this <style> for a moment in Chromium
    build.set('index.html', Buffer.from(html.replace('<style></style>', '<style>\n        html, body { background: #000; }\n    </style>')));
    const { files } = await processFiles(cspStep(), build);
    expect(await problems(files)).toEqual([]);
  });
});
