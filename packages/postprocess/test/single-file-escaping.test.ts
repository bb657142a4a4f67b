import { BuildCheckError } from '@gulp-playcanvas/playcanvas-build-check';
import { parse } from 'parse5';
import { browserTest, buildFiles, SCRIPTS_RAN } from 'test-support';
import { describe, expect, it } from 'vitest';
import { cspStep, processFiles, singleFileStep } from '../src/index.js';
import { scriptForInline } from '../src/script-escape.js';
import { QUICK, useLab } from './helpers.js';

const lab = useLab();

/** Code that holds what ends or changes a <script> in a page, in every place JavaScript can hold it. */
const TRICKY = [
  'window.__escapes = [',
  "  /<!--/u.test('<!--'),", // a u-flag regex: `\!` would be a SyntaxError there
  "  '</script>'.length,",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal in the code under test
  '  `</SCRIPT ${1}>`.length,',
  '  /[</script>]/u.test("<"),',
  '  "a\\<!--b",', // an escaped < in a string
  '  /(?<!--)x/.test("ax"),', // a lookbehind for "--"
  '  0 </script>/.test("/script>") ? 1 : 2,', // `<` then a regex
  "  '\u0000'.charCodeAt(0),", // NUL, which the HTML parser would turn into U+FFFD
  '];',
  '<!-- an HTML-like comment, which classic scripts allow',
  '// a comment with </script> and <!-- <script> in it',
  '/* and </script><!--<script> here */',
].join('\n');
const EXPECTED = [true, 9, 11, true, 'a<!--b', true, 1, 0];

/** What the HTML tokenizer must not meet inside a script's text. */
const UNSAFE = /<\/script|<!--|\0/i;

describe('singleFile(): scripts go into the page meaning what their files meant', () => {
  it('escapes </script, <!-- and NUL as each token allows: the code runs to the same values', () => {
    const inline = scriptForInline(TRICKY, '__loading__.js');
    expect(inline).not.toMatch(UNSAFE);
    const run = (code: string) => new Function(`${code}; return window.__escapes;`).call(undefined);
    (globalThis as { window?: unknown }).window = {};
    expect(run(TRICKY)).toEqual(EXPECTED);
    (globalThis as { window?: unknown }).window = {};
    expect(run(inline)).toEqual(EXPECTED);
    delete (globalThis as { window?: unknown }).window;
    expect(scriptForInline('var plain = 1;', 'a.js')).toBe('var plain = 1;');
  });

  it('writes every attribute escaped: a stylesheet named to inject markup stays a name', async () => {
    const build = await buildFiles(lab.server);
    const name = 'x" onload="alert(document.domain)" y=".css';
    const page = build.get('index.html')?.toString() ?? '';
    const files = new Map(build)
      .set(name, Buffer.from('body { margin: 0 }'))
      .set(
        'index.html',
        Buffer.from(
          page.replace(
            '</head>',
            `<link rel="stylesheet" href="x&quot; onload=&quot;alert(document.domain)&quot; y=&quot;.css">\n</head>`,
          ),
        ),
      );
    const single = (await processFiles(singleFileStep(), files)).files.get('index.html')?.toString() ?? '';
    const styles: Array<Record<string, string>> = [];
    const walk = (node: {
      nodeName: string;
      attrs?: Array<{ name: string; value: string }>;
      childNodes?: unknown[];
    }) => {
      if (node.nodeName === 'style') styles.push(Object.fromEntries((node.attrs ?? []).map((a) => [a.name, a.value])));
      for (const child of node.childNodes ?? []) walk(child as typeof node);
    };
    walk(parse(single) as never);
    expect(styles).toContainEqual({ 'data-pc-source': name });
    expect(styles.every((s) => !('onload' in s))).toBe(true);
  });

  browserTest('a loading screen holding them boots from the single file, under its strict policy', async () => {
    const build = await buildFiles(lab.server);
    const files = new Map(build).set('__loading__.js', Buffer.from(`${TRICKY}\n${build.get('__loading__.js')}`));
    const single = await processFiles(singleFileStep(), files);
    const { files: strict } = await processFiles(cspStep(), single.files);
    const ready = `${SCRIPTS_RAN} && JSON.stringify(window.__escapes) === ${JSON.stringify(JSON.stringify(EXPECTED))}`;
    try {
      await lab.checker.check(strict, { ...QUICK, until: ready });
    } catch (error) {
      throw error instanceof BuildCheckError ? new Error(error.message) : error;
    }
  });
});
