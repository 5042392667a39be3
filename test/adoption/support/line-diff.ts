/** The lines a change added to a file: those of the new text outside a longest common subsequence with the old. */

/**
 * Every line of `after` that is not matched to a line of `before` (a changed line counts as added).
 * Blank lines are included: a reader who counts the diff counts them too.
 */
export function addedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1)
    for (let j = b.length - 1; j >= 0; j -= 1)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && a[i] === b[j]) {
      i += 1;
      j += 1;
    } else if (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1]) i += 1;
    else {
      added.push(b[j]);
      j += 1;
    }
  }
  return added;
}
