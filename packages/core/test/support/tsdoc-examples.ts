/**
 * Reads the ```ts blocks of `@example` tags in a source file and runs them against the package's
 * exports. A comment after a statement, `expr; // value`, or on the next line alone, states what
 * the statement gives when it is a JavaScript value: it is evaluated and compared deeply. A trailing
 * "(remark)" is ignored; a comment starting with "e.g." (a random value) or that is not a value is prose.
 */
import * as chai from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as api from '../../src';

const { expect } = chai;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

/** One `@example` block: the name of the export it documents and its code. */
export interface TsdocExample {
  name: string;
  code: string;
}

/** The examples of one file in packages/core/src, in order. */
export function tsdocExamples(file: string): TsdocExample[] {
  const source = readFileSync(path.join(__dirname, '..', '..', 'src', file), 'utf8');
  const examples: TsdocExample[] = [];
  for (const match of source.matchAll(
    /\/\*\*([\s\S]*?)\*\/\s*export\s+(?:async\s+)?(?:function|class|const)\s+(\w+)/g,
  )) {
    const block = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/.exec(match[1]);
    if (!block) continue;
    const code = block[1]
      .split('\n')
      .map((line) => line.replace(/^\s*\* ?/, ''))
      .join('\n');
    examples.push({ name: match[2], code });
  }
  return examples;
}

/** The value a comment states, or null for prose ("e.g. …", "once done with it"). */
function expectation(comment: string): string | null {
  if (comment.startsWith('e.g.')) return null;
  const value = comment.replace(/\s+\([^)]*\)$/, '');
  try {
    new Function(`return (${value});`);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  return value;
}

/** Rewrites `expr; // value` into a checked statement, keeping every other line as it is. */
function instrument(code: string): string {
  const lines = code.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trailing = /^(?!\s*(?:const|let|var)\s)(.+?);\s*\/\/\s*(.+)$/.exec(lines[i]);
    const next = /^\s*\/\/\s*(.+)$/.exec(lines[i + 1] ?? '');
    const bare = /^(?!\s*(?:const|let|var)\s)(.+?);\s*$/.exec(lines[i]);
    const [statement, comment] = trailing
      ? [trailing[1], trailing[2]]
      : bare && next
        ? [bare[1], next[1]]
        : [null, null];
    const expected = comment === null ? null : expectation(comment);
    if (statement === null || expected === null) {
      out.push(lines[i]);
      continue;
    }
    out.push(`__check(${statement}, ${expected}, ${JSON.stringify(lines[i].trim())});`);
    if (!trailing) i += 1;
  }
  return out.join('\n');
}

/** Runs an example with every export of the package in scope; fails on a throw or a wrong value. */
export async function runTsdocExample(example: TsdocExample): Promise<number> {
  let checks = 0;
  const check = (actual: unknown, expected: unknown, line: string) => {
    checks += 1;
    expect(actual, `${example.name}: ${line}`).to.deep.equal(expected);
  };
  const names = Object.keys(api).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
  const run = new AsyncFunction(...names, 'Buffer', '__check', instrument(example.code));
  await run(...names.map((name) => (api as Record<string, unknown>)[name]), Buffer, check);
  return checks;
}
