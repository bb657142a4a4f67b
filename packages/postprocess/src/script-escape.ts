import { parse, tokTypes } from 'acorn';
import { PostprocessError } from './build.js';

/**
 * Script text that can sit between `<script>` and `</script>` in a page and mean what the file meant.
 *
 * The HTML tokenizer ends a script at `</script`, and after `<!--` a `<script` changes where it ends (the
 * "script data escaped" states); it also turns NUL into U+FFFD. None of these may reach the page, and a
 * blind textual escape does not keep the code's meaning (`\!` is a SyntaxError in a `/u` regex). So the code
 * is tokenized (acorn, parsing) and each occurrence escaped as its token allows: `\x3C` for `<` and `\x00`
 * for NUL in strings and templates, `\x3C` in a regex's character class and `\x2D` for the first `-` of
 * `<!--` elsewhere in a regex, a space in comments and between operators, and `//` for an HTML-like comment.
 */
const DANGER = /<(?=\/script|!--)|\0/gi;
const HAS_DANGER = /<(?=\/script|!--)|\0/i;

interface Range {
  start: number;
  end: number;
  kind: 'string' | 'regex' | 'comment' | 'html-comment';
}

function rangesOf(code: string, file: string, sourceType: 'script' | 'module'): Range[] {
  const ranges: Range[] = [];
  try {
    parse(code, {
      ecmaVersion: 'latest',
      sourceType,
      allowHashBang: true,
      onToken: (token) => {
        if (
          token.type === tokTypes.string ||
          token.type === tokTypes.template ||
          token.type === tokTypes.invalidTemplate
        )
          ranges.push({ start: token.start, end: token.end, kind: 'string' });
        else if (token.type === tokTypes.regexp) ranges.push({ start: token.start, end: token.end, kind: 'regex' });
      },
      onComment: (_block, _text, start, end) =>
        ranges.push({ start, end, kind: code.startsWith('<!--', start) ? 'html-comment' : 'comment' }),
    });
  } catch (error) {
    throw new PostprocessError(
      `${file} holds "</script", "<!--" or a NUL character and is not JavaScript post-processing can read ` +
        `(${(error as Error).message}), so it cannot be put inside the page safely`,
      file,
    );
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** Whether a position of a regex literal is inside a character class; scans on from where it last stopped. */
function classTracker(code: string): (start: number, at: number) => boolean {
  let literal = -1;
  let i = 0;
  let inside = false;
  return (start, at) => {
    if (start !== literal || at < i) [literal, i, inside] = [start, start + 1, false];
    for (; i < at; i++) {
      const c = code[i];
      if (c === '\\') i++;
      else if (c === '[') inside = true;
      else if (c === ']') inside = false;
    }
    return inside;
  };
}

/** How many backslashes come right before `at` (an odd count escapes the character at `at`). */
function backslashesBefore(code: string, at: number, from: number): number {
  let n = 0;
  while (at - n - 1 >= from && code[at - n - 1] === '\\') n++;
  return n;
}

export function scriptForInline(code: string, file: string, sourceType: 'script' | 'module' = 'script'): string {
  if (!HAS_DANGER.test(code)) return code;
  const ranges = rangesOf(code, file, sourceType);
  const inClass = classTracker(code);
  const out: string[] = [];
  let copied = 0;
  let r = 0;
  for (const match of code.matchAll(DANGER)) {
    const at = match.index;
    while (r < ranges.length && (ranges[r] as Range).end <= at) r++;
    const range = ranges[r] && (ranges[r] as Range).start <= at ? ranges[r] : undefined;
    const nul = match[0] === '\0';
    let from = at;
    let replacement: string;
    if (range?.kind === 'string' || (range?.kind === 'regex' && (nul || inClass(range.start, at)))) {
      // an escaped `\<` is `<` too: the backslash goes with it
      if (backslashesBefore(code, at, range.start) % 2 === 1) from = at - 1;
      replacement = nul ? '\\x00' : '\\x3C';
    } else if (range?.kind === 'regex') {
      if (code.startsWith('<!--', at)) replacement = '<!\\x2D';
      else replacement = '\\x3C';
      out.push(code.slice(copied, from), replacement);
      copied = at + (code.startsWith('<!--', at) ? 3 : 1);
      continue;
    } else if (range?.kind === 'html-comment' && at === range.start) {
      replacement = '//';
      out.push(code.slice(copied, at), replacement);
      copied = at + 4;
      continue;
    } else {
      // a comment, or code between tokens (`a </script/.test(b)`): a space changes nothing there
      replacement = nul ? ' ' : '< ';
    }
    out.push(code.slice(copied, from), replacement);
    copied = at + 1;
  }
  out.push(code.slice(copied));
  return out.join('');
}
