import * as chai from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const { expect } = chai;
const PACKAGE_DIR = path.join(__dirname, '..');
const REPO_NODE_MODULES = path.join(PACKAGE_DIR, '..', '..', 'node_modules');

function readmeBlocks(): { example: string; output: string } {
  const readme = readFileSync(path.join(PACKAGE_DIR, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
  const index = blocks.findIndex(([, lang, body]) => lang === 'ts' && body.startsWith('// README example'));
  if (index < 0) throw new Error('README.md has no ```ts block starting with "// README example"');
  return { example: blocks[index][2], output: blocks[index + 1][2] };
}

describe('README', function () {
  describe('when the complete example is compiled and run as a user would', function () {
    let dir: string;

    before(function () {
      // Outside the repository, importing '@secondfactor/core' by name through a node_modules link,
      // so the example is checked against the built package's published types.
      dir = mkdtempSync(path.join(tmpdir(), 'secondfactor-readme-'));
      symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
      writeFileSync(path.join(dir, 'example.ts'), readmeBlocks().example);
    });

    after(function () {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('type-checks under strict settings', function () {
      const tsc = path.join(REPO_NODE_MODULES, 'typescript', 'bin', 'tsc');
      const args = [
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'node16',
        '--moduleResolution',
        'node16',
        '--types',
        'node',
        '--skipLibCheck',
        'example.ts',
      ];
      expect(() =>
        execFileSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }),
      ).to.not.throw();
    });

    it('prints exactly the output the README shows', function () {
      const stdout = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), 'example.ts'], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...withoutColor(process.env),
          SECONDFACTOR_KEYS: `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`,
        },
      });
      expect(stdout).to.equal(readmeBlocks().output);
    });
  });
});

/** The environment without colour switches: lerna's --stream sets FORCE_COLOR, which colours console.log of booleans. */
function withoutColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = env;
  return { ...rest, NO_COLOR: '1' };
}
