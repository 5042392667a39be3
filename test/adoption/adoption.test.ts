/**
 * The adoption test: a stranger adds secondfactor to an existing Koa app and an existing Express app
 * by following docs/integrate-koa.md and docs/integrate-express.md, with our packages as `npm pack`
 * made them and everything else from the registry. See test/adoption/README.md.
 */
import * as chai from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, type Page } from './support/browser';
import {
  applyWiring,
  brokenSourceMaps,
  cpFixture,
  filesUnder,
  overrideTransitive,
  packPackages,
  startApp,
  timed,
  type RunningApp,
} from './support/fixture-app';
import { containsExcerpt, guideBlocks, installArguments } from './support/guide';
import { addedLines } from './support/line-diff';
import { decodeBase32, totpAt } from './support/totp';

const { expect } = chai;

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['core', 'typeorm', 'passport-totp', 'web', 'koa', 'express', 'sessions'].map(
  (name) => `@secondfactor/${name}`,
);
const MAX_ADDED_LINES = 40;
const OWNER = { email: 'owner@example.com', password: 'owner password' };
const CLERK = { email: 'clerk@example.com', password: 'clerk password' };

interface FixtureSpec {
  name: string;
  dir: string;
  guide: string;
  /** The app's own module system: its package.json `type`. */
  moduleKind: 'esm' | 'cjs';
  /** Every entry point of ours the app can load. */
  entries: string[];
}

const FIXTURES: FixtureSpec[] = [
  {
    name: 'Koa',
    dir: 'koa',
    guide: 'docs/integrate-koa.md',
    moduleKind: 'esm',
    entries: [
      ...PACKAGES.filter((name) => name !== '@secondfactor/express'),
      '@secondfactor/sessions/typeorm',
      '@secondfactor/sessions/koa',
    ],
  },
  {
    name: 'Express',
    dir: 'express',
    guide: 'docs/integrate-express.md',
    moduleKind: 'cjs',
    entries: [
      ...PACKAGES.filter((name) => name !== '@secondfactor/koa'),
      '@secondfactor/sessions/typeorm',
      '@secondfactor/sessions/express',
    ],
  },
];

/** Lines the wiring added to each file of the fixture, by the fixture's before/ and after/ trees. */
function wiringLines(fixture: string): Map<string, string[]> {
  const added = new Map<string, string[]>();
  for (const file of filesUnder(join(fixture, 'after'))) {
    let before = '';
    try {
      before = readFileSync(join(fixture, 'before', file), 'utf8');
    } catch {
      // A new file: every line is added.
    }
    added.set(file, addedLines(before, readFileSync(join(fixture, 'after', file), 'utf8')));
  }
  return added;
}

/** Writes files that import every entry point from both module systems, with a tsconfig for them. */
function writeExportsCheck(app: string, spec: FixtureSpec): void {
  const dir = join(app, 'exports-check');
  mkdirSync(dir);
  const source = spec.entries.map((entry, index) => `import * as entry${index} from '${entry}';`).join('\n');
  const body = `${source}\nexport const entries = [${spec.entries.map((_, index) => `entry${index}`).join(', ')}];\n`;
  // The package's own kind in a .ts file, the other one through its explicit extension.
  const files = spec.moduleKind === 'esm' ? ['esm.ts', 'commonjs.cts'] : ['commonjs.ts', 'esm.mts'];
  for (const file of files) writeFileSync(join(dir, file), body);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '.' },
      include: [],
      files,
    }),
  );
  writeFileSync(
    join(dir, 'load.cjs'),
    `const entries = ${JSON.stringify(spec.entries)};
(async () => {
  const loaded = {};
  for (const entry of entries) {
    const commonjs = Object.keys(require(entry)).sort();
    // Node adds the CommonJS module itself as 'default' (and 'module.exports'), and sees '__esModule'.
    const esm = Object.keys(await import(entry))
      .filter((name) => !['default', 'module.exports', '__esModule'].includes(name))
      .sort();
    loaded[entry] = { commonjs, esm };
  }
  console.log(JSON.stringify(loaded));
})();
`,
  );
}

/** The secret key the setup page shows, as an authenticator app would read it. */
function secretOf(page: Page): Buffer {
  const shown = /class="sf-secret">([A-Z2-7 ]+)</.exec(page.html)?.[1];
  if (!shown) throw new Error(`no secret key on the setup page:\n${page.html}`);
  return decodeBase32(shown);
}

/** The backup codes a page shows once. */
function backupCodesOf(page: Page): string[] {
  return [...page.html.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map(([, code]) => code);
}

async function logIn(browser: Browser, user: { email: string; password: string }): Promise<Page> {
  return browser.submit(await browser.get('/login'), 'Log in', user);
}

describe('adoption: an existing app gets 2FA by following its guide', function () {
  // npm installs from the registry (cache first) and two TypeScript builds per app.
  this.timeout(15 * 60_000);
  let workspace: string;
  let tarballs: Map<string, string>;

  before(async function () {
    workspace = mkdtempSync(join(tmpdir(), 'sf-adoption-'));
    tarballs = await packPackages(ROOT, PACKAGES, join(workspace, 'tarballs'));
  });

  after(function () {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  for (const spec of FIXTURES) {
    const fixture = join(__dirname, 'fixtures', spec.dir);

    describe(`${spec.name}: ${spec.guide} against test/adoption/fixtures/${spec.dir}`, function () {
      describe('when the guide is read beside the fixture', function () {
        it('shows each marked block verbatim in the fixture, and every wiring line in a marked block', function () {
          const blocks = guideBlocks(join(ROOT, spec.guide)).filter((block) => block.file !== 'install');
          expect(blocks.length, 'marked blocks').to.be.greaterThan(3);
          for (const block of blocks) {
            // A block may show the other fixture (the Koa guide shows the Express app's migrations).
            const [dir, file] = block.file.includes(':') ? block.file.split(':') : [spec.dir, block.file];
            const after = readFileSync(join(__dirname, 'fixtures', dir, 'after', file), 'utf8');
            expect(containsExcerpt(after, block.after), `${spec.guide}: a block of ${block.file}`).to.equal(true);
            if (block.before.length > 0) {
              const before = readFileSync(join(__dirname, 'fixtures', dir, 'before', file), 'utf8');
              expect(containsExcerpt(before, block.before), `${spec.guide}: the - lines of ${file}`).to.equal(true);
            }
          }
          for (const [file, lines] of wiringLines(fixture)) {
            const shown = new Set(blocks.filter((block) => block.file === file).flatMap((block) => block.added));
            const missing = lines.filter((line) => line.trim() !== '' && !shown.has(line));
            expect(missing, `${file}: wiring lines the guide does not show`).to.deep.equal([]);
          }
        });

        it(`adds at most ${MAX_ADDED_LINES} lines to the app (session store, CSRF fields and password step included)`, function () {
          const added = wiringLines(fixture);
          const total = [...added.values()].reduce((sum, lines) => sum + lines.length, 0);
          const perFile = [...added].map(([file, lines]) => `${file} ${lines.length}`).join(', ');
          console.log(`      ${spec.name}: the wiring adds ${total} lines (${perFile})`);
          expect(total).to.be.at.most(MAX_ADDED_LINES);
          const stated = /the wiring adds: \*\*(\d+) lines\*\*/.exec(readFileSync(join(ROOT, spec.guide), 'utf8'))?.[1];
          expect(Number(stated), `the count ${spec.guide} states`).to.equal(total);
        });
      });

      describe('when the app is installed from the guide, wired, built and started', function () {
        let app: string;
        let running: RunningApp | undefined;

        before(async function () {
          app = join(workspace, spec.dir);
          cpFixture(join(fixture, 'before'), app);
          const existing = await timed('npm', ['install'], app);
          const args = installArguments(join(ROOT, spec.guide));
          const named = args.filter((arg) => tarballs.has(arg));
          overrideTransitive(app, tarballs, named);
          // The guide's line as written, our package names swapped for their tarballs.
          const install = await timed('npm', ['install', ...args.map((arg) => tarballs.get(arg) ?? arg)], app);
          console.log(
            `      ${spec.name}: the existing app installed in ${existing.seconds.toFixed(1)} s; ` +
              `the guide's install line (${args.join(' ')}) in ${install.seconds.toFixed(1)} s, first time`,
          );
          applyWiring(fixture, app);
        });

        after(async function () {
          await running?.stop();
        });

        it('type-checks with tsc and skipLibCheck off, and builds', async function () {
          const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
          expect(tsconfig.compilerOptions).to.include({ skipLibCheck: false, module: 'nodenext' });
          const build = await timed(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], app);
          console.log(`      ${spec.name}: tsc in ${build.seconds.toFixed(1)} s`);
        });

        it('loads every entry point from CommonJS and from ESM, types and all, with the same exports', async function () {
          writeExportsCheck(app, spec);
          await timed(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'exports-check'], app);
          const { stdout } = await timed(process.execPath, ['exports-check/load.cjs'], app);
          const loaded = JSON.parse(stdout) as Record<string, { commonjs: string[]; esm: string[] }>;
          expect(Object.keys(loaded)).to.deep.equal(spec.entries);
          for (const [entry, names] of Object.entries(loaded)) {
            expect(names.commonjs, entry).to.not.be.empty;
            expect(names.esm, entry).to.deep.equal(names.commonjs);
          }
        });

        it('ships the source file of every source map', function () {
          expect(brokenSourceMaps(app)).to.deep.equal([]);
        });

        describe('when a browser uses the started app', function () {
          let origin: string;

          before(async function () {
            running = await startApp(app, {
              SECONDFACTOR_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
              COOKIE_SECRET: 'adoption test cookie secret',
              SESSION_SECRET: 'adoption test session secret',
            });
            origin = running.origin;
          });

          it('S7, S12, S19, S20, S25: enrolls, confirms, logs out, logs in with a code, then with the backup code', async function () {
            const browser = new Browser(origin);
            const loginPage = await browser.get('/login');
            expect(loginPage.forms[0].hidden._csrf, "the app's own login form carries the CSRF token").to.be.a(
              'string',
            );
            let page = await browser.follow(await logIn(browser, OWNER));
            expect(page.html).to.contain('Signed in as owner@example.com');
            expect(page.html).to.contain('href="/account/security/two-factor"');

            // Enrollment: Click here to enable, Get Started, the barcode and key, Confirm, the code.
            page = await browser.get('/account/security/two-factor');
            page = await browser.submit(page, 'Click here to enable');
            page = await browser.submit(page, 'Get Started');
            const secret = secretOf(page);
            page = await browser.submit(page, 'Confirm');
            page = await browser.submit(page, 'Confirm', { code: totpAt(secret, Date.now()) });
            const [backupCode] = backupCodesOf(page);
            expect(backupCode, 'the backup code, shown once').to.match(/^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/);

            page = await browser.follow(await browser.submit(await browser.get('/account'), 'Log out'));
            expect(page.html).to.contain('action="/login"');

            // The password alone only reaches the code page (S20).
            page = await logIn(browser, OWNER);
            expect(page.location).to.equal('/login/two-factor');
            expect((await browser.get('/account')).location).to.equal('/login/two-factor');
            // The confirming step is spent (S12): the code of the next step, as the phone shows it 30 s on.
            page = await browser.submit(await browser.follow(page), 'Verify', {
              code: totpAt(secret, Date.now() + 30_000),
            });
            page = await browser.follow(page);
            expect(page.html).to.contain('Signed in as owner@example.com');

            // A lost phone: the backup code, once, and a new one in its place (S19).
            await browser.submit(await browser.get('/account'), 'Log out');
            page = await browser.follow(await logIn(browser, OWNER));
            page = await browser.submit(page, 'Log in with backup code', { backupCode });
            expect(page.html).to.contain('Backup codes are valid once only, so it has been reset');
            const [renewed] = backupCodesOf(page);
            expect(renewed).to.be.a('string').and.not.equal(backupCode);
            page = await browser.get('/account');
            expect(page.html).to.contain('Signed in as owner@example.com');
          });

          it("S25: refuses the app's own login form without its CSRF token", async function () {
            const browser = new Browser(origin);
            await browser.get('/login');
            const refused = await browser.post('/login', OWNER);
            expect(refused.status).to.equal(403);
            expect((await browser.get('/account')).location).to.equal('/login');
          });

          it('S9: tells a sub-account that 2FA is not available, and refuses its enrollment', async function () {
            const browser = new Browser(origin);
            const account = await browser.follow(await logIn(browser, CLERK));
            expect(account.html).to.contain('Signed in as clerk@example.com');
            const section = await browser.get('/account/security/two-factor');
            expect(section.html).to.contain('not available for sub-accounts');
            const token = account.forms.find((form) => form.action === '/logout')!.hidden._csrf;
            const refused = await browser.post('/account/security/two-factor/enroll', { _csrf: token });
            expect(refused.status).to.equal(403);
            expect(refused.html).to.contain('not available');
          });
        });
      });
    });
  }
});
