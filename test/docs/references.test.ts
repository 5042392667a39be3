/**
 * The repository stands on its own: no file points to a document that is not in it, every
 * requirement id (S1, S2, …) used anywhere resolves to its row in docs/security.md, and every link
 * into docs/architecture.md or docs/security.md lands on a heading or an anchor that exists.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '../..');
const SCANNED = ['packages', 'examples', 'test', 'docs', 'tools', 'README.md'];

function trackedTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--', ...SCANNED], { cwd: ROOT, encoding: 'utf8' });
  return listed.split('\0').filter((file) => /\.(ts|js|cjs|mjs|json|md|txt|css|sh)$/.test(file));
}

function read(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(headingAnchor(heading));
  for (const [, id] of markdown.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(id);
  return anchors;
}

describe('the repository’s references', function () {
  const files = trackedTextFiles();
  const documents = {
    'architecture.md': anchorsOf(read('docs/architecture.md')),
    'security.md': anchorsOf(read('docs/security.md')),
  };

  describe('when a file names a document', () => {
    it('never points to a design brief, a seed or an article that is not in the repository', function () {
      // Built from parts, so this file does not match itself.
      const dangling = new RegExp(
        ['DESIGN' + '\\.md', 'the ' + 'seed', 'seed ' + 'article', 'the ' + 'article'].join('|'),
        'i',
      );
      const offenders = files.filter((file) => dangling.test(read(file)));
      expect(offenders).to.deep.equal([]);
    });
  });

  describe('when a file names a requirement id', () => {
    it('finds an anchor for each one in docs/security.md', function () {
      const missing = new Set<string>();
      for (const file of files) {
        if (file.endsWith('package-lock.json')) continue;
        for (const [, number] of read(file).matchAll(/\bS([1-9][0-9]?)\b/g)) {
          if (!documents['security.md'].has(`s${number}`)) missing.add(`S${number} (${file})`);
        }
      }
      expect([...missing]).to.deep.equal([]);
    });
  });

  describe('when a file links into the architecture or security document', () => {
    it('lands on a heading or an anchor that exists', function () {
      const broken: string[] = [];
      const link = /(?:docs\/)?(architecture|security)\.md#([a-z0-9-]+)((?:, #[a-z0-9-]+| and #[a-z0-9-]+)*)/g;
      for (const file of files) {
        for (const [whole, name, first, more] of read(file).matchAll(link)) {
          const anchors = documents[`${name}.md` as keyof typeof documents];
          const targets = [first, ...[...more.matchAll(/#([a-z0-9-]+)/g)].map((match) => match[1])];
          for (const target of targets) if (!anchors.has(target)) broken.push(`${file}: ${whole}`);
        }
      }
      expect(broken).to.deep.equal([]);
    });
  });
});
