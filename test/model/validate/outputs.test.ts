// What the generated workflows need of the spec. The build workflow compares a release with the
// previous one through `git diff -- . ':(exclude,glob)<deployPath>'...` (lib/ci/build-workflow.ts):
// a deployment glob that matches sources or a Dockerfile turns a real release into a re-tag of the
// previous images. How git matches a glob pathspec is checked here against git itself.
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { BUILT_IN_ADDONS } from '../../../lib/addons/built-in';
import { validateSpec } from '../../../lib/model/validate';
import { pathspecGlob } from '../../../lib/model/validate/outputs';
import { sandboxSpec, twoEnvironmentsSpec } from '../../fixtures';

const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
const sandbox = (mutate: (s: any) => void) => {
  const s = sandboxSpec();
  mutate(s);
  return problems(s);
};

describe('pathspecGlob matches as git does', () => {
  const files = ['deploy/a.yaml', 'deploy/x/b.yaml', 'README.md', 'docs/x.md', 'src/main.go', 'build/app/Dockerfile.prod', 'package.json', '.github/workflows/b.yml', 'cmd/server/main.go', 'k8s.yaml', 'a{b}.txt'];
  const globs = ['deploy/**', '**/*.md', '**', '.', './', '*', 'build/**', 'build', 'src/*.go', '*.json', '.github/**', 'k8s/**', 'deploy/*', 'deploy', '**/main.go', 'a{b}.txt', 'cmd/**/main.go'];
  const repo = mkdtempSync(join(tmpdir(), 'pathspec-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), 'x\n');
  }
  git('add', '-A');

  test.each(globs)('%s', (glob) => {
    const byGit = git('ls-files', '-z', '--', `:(glob)${glob}`).split('\0').filter(Boolean).sort();
    expect(files.filter((f) => pathspecGlob(glob).test(f)).sort()).toEqual(byGit);
  });
});

describe('deployment globs', () => {
  test.each(['**', '.', '*', '**/*.go'])('%s matches sources: refused', (glob) => {
    expect(sandbox((s) => (s.apps[0].ci.deployPaths = ['deploy/**', glob]))).toEqual([
      expect.stringMatching(new RegExp(`^apps\\[0\\]\\.ci\\.deployPaths\\[1\\]: '${glob.replace(/[.*]/g, '\\$&')}' matches source files such as `)),
    ]);
  });

  test('a glob over a Dockerfile: refused', () => {
    expect(sandbox((s) => (s.apps[0].ci.deployPaths = ['deploy/**', 'build/app/**']))).toEqual([
      "apps[0].ci.deployPaths[1]: 'build/app/**' matches containers[0].dockerfile 'build/app/Dockerfile.prod': a release changing only that Dockerfile would re-tag the previous images instead of building them; leave it out of the deployment files",
    ]);
  });

  test('the migration Dockerfile counts too', () => {
    expect(sandbox((s) => (s.apps[0].ci.deployPaths = ['build/migration']))).toEqual([expect.stringMatching(/^apps\[0\]\.ci\.deployPaths\[0\]: 'build\/migration' matches migration\.dockerfile/)]);
  });

  test('the default deployment globs are accepted', () => {
    expect(sandbox((s) => delete s.apps[0].ci.deployPaths)).toEqual([]);
  });
});

describe('the build workflow and the promotion workflow', () => {
  test('branches without tag patterns: the build workflow would never run', () => {
    expect(sandbox((s) => {
      s.apps[0].ci.tagPatterns = [];
      s.apps[0].ci.branches = ['main'];
    })).toEqual([expect.stringMatching(/^apps\[0\]\.ci\.tagPatterns: is empty, but the generated build workflow runs on release tags only/)]);
  });

  test("an app named 'all' with several environments: an option of the promotion workflow's input", () => {
    const spec = twoEnvironmentsSpec();
    spec.apps[0].name = 'all';
    for (const e of spec.environments) for (const a of e.apps) a.name = 'all';
    expect(problems(spec)).toEqual(["apps[0].name: 'all' is the option of the promotion workflow that promotes every application at once; choose another name"]);
  });

  test("an app named 'all' without environments has no promotion workflow: accepted", () => {
    expect(sandbox((s) => (s.apps[0].name = 'all'))).toEqual([]);
  });
});
