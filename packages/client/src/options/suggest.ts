/** Levenshtein distance: insertions, deletions and substitutions, each counting one. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/**
 * The known name nearest to what the user typed, when it is near enough to be a typo (a third of the word, at
 * least 2 edits); case is ignored, so `projectID` finds `projectId`. Both the CLI's flags and the options of the
 * plugin and the Grunt task are suggested with it.
 */
export function closest(word: string, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(lower, name.toLowerCase());
    if (best === undefined || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}
