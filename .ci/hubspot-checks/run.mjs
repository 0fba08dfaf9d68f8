// HubSpot's own checks of the HubSpot project, offline (run by .ci/run):
//   1. project: our project checks, which include HubSpot's parser (@hubspot/project-parsing-lib
//      translate) and the component shapes, placement, uids, entrypoints and srcDir contents;
//   2. build:   each UI extension built by @hubspot/ui-extensions-dev-server's remoteBuild, as
//               HubSpot's build does: a copy of app/, `npm ci` from its lockfile, one bundle each;
//   3. lint:    HubSpot's UI-extension ESLint config over app/.
// Usage: node .ci/hubspot-checks/run.mjs [--root <repository root>] [--self-test]
// --self-test breaks copies of the project on purpose and fails unless each check catches it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';
import { ESLint } from 'eslint';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

function hsmetaFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : hsmetaFiles(full);
    return entry.name.endsWith('-hsmeta.json') ? [full] : [];
  });
}

function srcDirOf(root) {
  return path.join(root, JSON.parse(readFileSync(path.join(root, 'hsproject.json'), 'utf8')).srcDir);
}

function runProjectStep(root) {
  try {
    execFileSync(
      path.join(repoRoot, 'node_modules/.bin/tsx'),
      [path.join(repoRoot, 'hubspot-project-tests/checks/run-checks.ts'), '--root', root],
      { stdio: 'pipe', encoding: 'utf8' },
    );
    return [];
  } catch (error) {
    return [`project checks failed:\n${error.stdout}${error.stderr}`];
  }
}

async function runBuildStep(root) {
  const srcDir = srcDirOf(root);
  const work = mkdtempSync(path.join(tmpdir(), 'hs-build-'));
  const problems = [];
  try {
    cpSync(path.join(srcDir, 'app'), path.join(work, 'app'), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`),
    });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: path.join(work, 'app'),
      stdio: 'pipe',
    });
    for (const file of hsmetaFiles(path.join(work, 'app'))) {
      const { type, config } = JSON.parse(readFileSync(file, 'utf8'));
      if (type !== 'card' && type !== 'settings') continue;
      const entryPoint = path.join(work, config.entrypoint);
      try {
        await remoteBuild({
          root: path.dirname(entryPoint),
          entryPoint,
          outputDir: path.join(work, 'dist', type),
          logLevel: 'silent',
        });
        console.log(`build: ${config.entrypoint} built`);
      } catch (error) {
        problems.push(`build of ${config.entrypoint} failed: ${error.message}`);
      }
    }
  } catch (error) {
    problems.push(`build failed: ${error.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return problems;
}

async function runLintStep(root) {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(here, 'ui-lint.config.js') });
  const results = await eslint.lintFiles([path.join(srcDirOf(root), 'app')]);
  const errors = results.filter((result) => result.errorCount + result.warningCount > 0);
  if (errors.length === 0) return [];
  const formatter = await eslint.loadFormatter('stylish');
  return [`HubSpot's UI-extension lint:\n${await formatter.format(errors)}`];
}

const STEPS = { project: runProjectStep, build: runBuildStep, lint: runLintStep };

async function runAll(root) {
  const problems = [];
  for (const [name, step] of Object.entries(STEPS)) {
    const found = await step(root);
    console.log(`${name}: ${found.length ? 'FAILED' : 'clean'}`);
    problems.push(...found);
  }
  return problems;
}

/** A copy of the project (the backend is linked: the route check reads its sources). */
function copyProject() {
  const dir = mkdtempSync(path.join(tmpdir(), 'hs-selftest-'));
  cpSync(path.join(repoRoot, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  cpSync(srcDirOf(repoRoot), path.join(dir, 'hubspot-project'), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}node_modules`),
  });
  symlinkSync(path.join(repoRoot, 'backend'), path.join(dir, 'backend'));
  return dir;
}
const edit = (file, change) => writeFileSync(file, change(readFileSync(file, 'utf8')));
const card = (dir, name) => path.join(dir, 'hubspot-project/app/cards', name);

const BREAKAGES = [
  {
    name: 'an unknown key in a component',
    step: 'project',
    expect: /unexpected top-level key "colour"/,
    mutate: (dir) => edit(card(dir, 'dialer-card-hsmeta.json'), (t) => t.replace('{', '{"colour": "blue",')),
  },
  {
    name: 'a missing entrypoint (project checks)',
    step: 'project',
    expect: /entrypoint \/app\/cards\/DialerCard.tsx does not exist/,
    mutate: (dir) => rmSync(card(dir, 'DialerCard.tsx')),
  },
  {
    name: 'a missing entrypoint (HubSpot build)',
    step: 'build',
    expect: /build of \/app\/cards\/DialerCard.tsx failed/,
    mutate: (dir) => rmSync(card(dir, 'DialerCard.tsx')),
  },
  {
    name: 'a browser global in the UI (HubSpot lint)',
    step: 'lint',
    expect: /DialerCardView.tsx/,
    mutate: (dir) =>
      edit(card(dir, 'DialerCardView.tsx'), (t) => `${t}\nexport const where = window.location.href;\n`),
  },
];

async function selfTest() {
  let failed = 0;
  for (const breakage of BREAKAGES) {
    const dir = copyProject();
    try {
      breakage.mutate(dir);
      const problems = await STEPS[breakage.step](dir);
      const caught = problems.some((problem) => breakage.expect.test(problem));
      console.log(`self-test: ${breakage.name}: ${caught ? 'caught' : 'NOT CAUGHT'}`);
      if (!caught) {
        failed++;
        console.error(problems.join('\n') || '(no problem reported)');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return failed;
}

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? path.resolve(args[rootArg + 1]) : repoRoot;
if (args.includes('--self-test')) {
  const failed = await selfTest();
  if (failed) process.exit(1);
  console.log('hubspot checks self-test: every breakage was caught');
} else {
  const problems = await runAll(root);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log('hubspot checks: parse, build and lint all clean');
}
