/**
 * The parts of an integration guide the adoption test runs: the install line and the code blocks
 * marked with the fixture file they show (`<!-- adoption: src/app.ts -->` before a ```ts or ```diff
 * block). A ```ts block is a verbatim excerpt of the file after the wiring; in a ```diff block, `+`
 * and context lines are an excerpt of the file after it, `-` and context lines of the file before.
 */
import { readFileSync } from 'node:fs';

/** A marked code block of a guide. */
export interface GuideBlock {
  /** The fixture file, relative to the fixture (e.g. `src/app.ts`), or `install`. */
  file: string;
  language: string;
  /** Lines of the file after the wiring that the block shows, in order. */
  after: string[];
  /** Lines of the file before the wiring that the block shows (diff blocks only). */
  before: string[];
  /** Lines the block marks as new (every line of a ts block, the `+` lines of a diff block). */
  added: string[];
}

const MARKED_BLOCK = /<!-- adoption: ([^\s]+) -->\n+```(\w+)\n([\s\S]*?)\n```/g;

/** Every marked block of the guide at `path`. */
export function guideBlocks(path: string): GuideBlock[] {
  const blocks: GuideBlock[] = [];
  for (const [, file, language, body] of readFileSync(path, 'utf8').matchAll(MARKED_BLOCK)) {
    const lines = body.split('\n');
    if (language !== 'diff') {
      blocks.push({ file, language, after: lines, before: [], added: lines });
      continue;
    }
    const block: GuideBlock = { file, language, after: [], before: [], added: [] };
    for (const line of lines) {
      const [mark, text] = [line.slice(0, 2), line.slice(2)];
      if (mark === '+ ' || line === '+') {
        block.after.push(text);
        block.added.push(text);
      } else if (mark === '- ' || line === '-') block.before.push(text);
      else if (mark === '  ' || line === '') {
        block.after.push(text);
        block.before.push(text);
      } else throw new Error(`${path}: a diff line starts with "+ ", "- " or two spaces: ${JSON.stringify(line)}`);
    }
    blocks.push(block);
  }
  return blocks;
}

/** The one `npm install` command of the guide's `install` block, as arguments (line continuations joined). */
export function installArguments(path: string): string[] {
  const install = guideBlocks(path).filter((block) => block.file === 'install');
  if (install.length !== 1) throw new Error(`${path}: expected one <!-- adoption: install --> block`);
  const command = install[0].after.join('\n').replace(/\\\n/g, ' ').trim();
  if (command.includes('\n') || /[;&|`$]/.test(command)) throw new Error(`${path}: the install block is one command`);
  const [npm, verb, ...args] = command.split(/\s+/);
  if (npm !== 'npm' || verb !== 'install') throw new Error(`${path}: the install block is an npm install line`);
  return args;
}

/** True when `lines` appear in `text`, contiguous and in order. */
export function containsExcerpt(text: string, lines: string[]): boolean {
  if (lines.length === 0) return true;
  const haystack = text.split('\n');
  for (let start = 0; start + lines.length <= haystack.length; start += 1)
    if (lines.every((line, offset) => haystack[start + offset] === line)) return true;
  return false;
}
