// The manifest repository as a living checkout, end to end: the cdk8s app (bin/manifests.ts, with
// PLATFORM_MANIFESTS_DIR) and the package's CLI writing into a real Git repository, across releases
// that move tags, an app removed, a bad spec, a hand edit and the drift check. The first synth, and
// the one of several environments, run the real cdk8s CLI (`cdk8s synth`), the first with the app
// command cdk8s.yaml names (`npx tsx`), the other as node running the app compiled (--app). The synths in
// between are about what the app writes into the checkout and how it exits, not about the cdk8s CLI:
// they run the app as a process the way the CLI starts it (CDK8S_OUTDIR, an empty output directory,
// its standard error passed through), without the CLI's own second of CPU to start. The package's
// CLI runs through main() in this process (test/cli/run-cli.ts).
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { CheckoutWriter } from '../../lib/output/checkout-writer';
import { runMain } from '../cli/run-cli';
import { repoPath, specWithApps } from '../fixtures';
import { programCommand } from '../support/compiled-programs';
import { commitAll, git, gitCheckout, listFiles, readFile, treeHash, writeFile } from '../support/git-checkout';
import { imageUpdaterSourceFile, imageUpdaterWriteBack, kustomizeEditSetImage } from '../support/tag-movers';

const REGISTRY = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
const work = mkdtempSync(join(tmpdir(), 'synth-checkout-'));

/** A spec file with apps app1..appN. */
function specFile(apps: number, change: (spec: any) => void = () => {}): string {
  const spec = JSON.parse(JSON.stringify(specWithApps(apps)));
  change(spec);
  const path = join(work, `platform-${apps}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, stringify(spec));
  return path;
}

/** The app command of cdk8s.yaml, but node running the app compiled (test/support/compiled-programs.ts) for `npx tsx`: the same program, one process instead of three, for `--app`. */
const APP = programCommand('bin/manifests.ts').flat().join(' ');

/**
 * `npx cdk8s synth --no-check-upgrade` as a user runs it, writing into `checkout`, the app command
 * the one cdk8s.yaml names.
 */
function cdk8sSynth(spec: string, checkout: string) {
  const result = spawnSync(repoPath('node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '-o', join(work, 'dist')], {
    cwd: repoPath(),
    encoding: 'utf8',
    env: { ...process.env, PLATFORM_SPEC: spec, PLATFORM_MANIFESTS_DIR: checkout, PLATFORM_WORKFLOWS_DIR: join(work, 'ci.out') },
  });
  return { status: result.status, stderr: result.stderr };
}

/**
 * The app as `cdk8s synth` starts it, without the CLI: node running bin/manifests.ts compiled,
 * `CDK8S_OUTDIR` an empty directory of its own, writing into `checkout`.
 */
function appSynth(spec: string, checkout: string) {
  const [command, args] = programCommand('bin/manifests.ts');
  const result = spawnSync(command, args, {
    cwd: repoPath(),
    encoding: 'utf8',
    env: { ...process.env, CDK8S_OUTDIR: mkdtempSync(join(work, 'dist-')), PLATFORM_SPEC: spec, PLATFORM_MANIFESTS_DIR: checkout, PLATFORM_WORKFLOWS_DIR: join(work, 'ci.out') },
  });
  return { status: result.status, stderr: result.stderr };
}

/** `npx cdk-eks-gitops manifests ...`, through main(). */
const cli = (...args: string[]) => runMain(['manifests', ...args]);

const tags = (checkout: string, app: string) =>
  Object.fromEntries(parse(readFile(checkout, `${app}/overlays/production/kustomization.yaml`)).images.map((i: any) => [i.name.split('/').pop(), i.newTag]));
const image = (app: string, name: string, tag: string) => `${REGISTRY}/sandbox/${app}/${name}=${REGISTRY}/sandbox/${app}/${name}:${tag}`;

describe('cdk8s synth with PLATFORM_MANIFESTS_DIR, into a Git checkout', () => {
  const checkout = gitCheckout({ 'notes.md': 'our notes\n', '.github/CODEOWNERS': '* @example-org/platform\n' });
  const threeApps = specFile(3);

  test('the first synth writes the tree and its index, and .git and unrelated files survive', () => {
    const gitDir = treeHash(join(checkout, '.git'));
    const { status, stderr } = cdk8sSynth(threeApps, checkout);
    expect(status).toBe(0);
    expect(stderr).toContain(`${checkout}: 50 added, 0 changed, 0 removed, 0 unchanged; kept 1 file it did not generate`);
    expect(treeHash(join(checkout, '.git'))).toBe(gitDir);
    expect(readFile(checkout, 'notes.md')).toBe('our notes\n');
    expect(readFile(checkout, '.github/CODEOWNERS')).toBe('* @example-org/platform\n');
    expect(Object.keys(JSON.parse(readFile(checkout, CheckoutWriter.INDEX_FILE)).files)).toHaveLength(50);
    // The workflows went to their own output, not into the manifest repository.
    expect(listFiles(checkout).some((p) => p.includes('release-'))).toBe(false);
    expect(existsSync(join(work, 'ci.out', 'app1', '.github', 'workflows', 'release-app1.yml'))).toBe(true);
    commitAll(checkout, 'first commit of the manifests');
  });

  test('tags set by the release workflow and by Image Updater survive a re-write', () => {
    kustomizeEditSetImage(join(checkout, 'app1/overlays/production'), [image('app1', 'migration', 'v1.1.0'), image('app1', 'app', 'v1.1.0'), image('app1', 'web', 'v1.1.0')]);
    imageUpdaterWriteBack(join(checkout, 'app2/overlays/production'), `${REGISTRY}/sandbox/app2/app:v2.3.0`);
    const sourceFile = imageUpdaterSourceFile(join(checkout, 'app3/overlays/production'), 'app3', `${REGISTRY}/sandbox/app3/web:v3.0.1`);
    commitAll(checkout, 'releases');

    const { status, stderr } = appSynth(threeApps, checkout);
    expect(status).toBe(0);
    expect(stderr).toContain(`${checkout}: 0 added, 0 changed, 0 removed, 50 unchanged; kept 2 files it did not generate, image tags in 2 files`);
    expect(tags(checkout, 'app1')).toEqual({ app: 'v1.1.0', migration: 'v1.1.0', web: 'v1.1.0' });
    expect(tags(checkout, 'app2')).toEqual({ app: 'v2.3.0', web: 'v0.0.1', migration: 'v0.0.1' });
    expect(readFile(checkout, `app3/overlays/production/${sourceFile}`)).toContain('web:v3.0.1');
    expect(git(checkout, 'status', '--porcelain')).toBe('');
  });

  test('--check passes with moved tags: they are state, not drift', async () => {
    const { status, stderr, stdout } = await cli('--spec', threeApps, '--into', checkout, '--check');
    expect({ status, stdout }).toEqual({ status: 0, stdout: '' });
    expect(stderr).toContain(`${checkout}: up to date with ${threeApps}`);
  });

  test("a removed app's files are pruned; the tags of the apps that stay survive", () => {
    const { status } = appSynth(specFile(3, (spec) => spec.apps.splice(1, 1)), checkout);
    expect(status).toBe(0);
    expect(listFiles(checkout).filter((p) => p.startsWith('app2/') || p.includes('app2'))).toEqual([]);
    expect(existsSync(join(checkout, 'app2'))).toBe(false);
    expect(tags(checkout, 'app1')).toEqual({ app: 'v1.1.0', migration: 'v1.1.0', web: 'v1.1.0' });
    expect(readFile(checkout, 'notes.md')).toBe('our notes\n');
    commitAll(checkout, 'remove app2');
  });

  test('a failed synth (a bad spec) leaves the checkout byte-for-byte as it was, .git included', () => {
    const before = treeHash(checkout);
    const { status, stderr } = appSynth(specFile(2, (spec) => (spec.apps[1].replicas = 0)), checkout);
    expect(status).not.toBe(0);
    expect(stderr).toContain('apps[1].replicas');
    expect(treeHash(checkout)).toBe(before);
  });

  test('a hand-edited generated file is refused, naming it, and --force overwrites it', async () => {
    const edited = 'argocd/apps/app1.yaml';
    writeFile(checkout, edited, readFile(checkout, edited).replace('selfHeal: true', 'selfHeal: false'));
    commitAll(checkout, 'hand edit');
    const twoApps = specFile(3, (spec) => spec.apps.splice(1, 1));
    const before = treeHash(checkout);

    const synth = appSynth(twoApps, checkout);
    expect(synth.status).not.toBe(0);
    expect(synth.stderr).toContain(`  - ${edited}: was edited by hand since the writer generated it`);
    expect(treeHash(checkout)).toBe(before);

    const refused = await cli('--spec', twoApps, '--into', checkout);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`  - ${edited}: was edited by hand since the writer generated it`);
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).not.toMatch(/^\s+at /m);

    const check = await cli('--spec', twoApps, '--into', checkout, '--check');
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`--- a/${edited}\n+++ b/${edited}\n`);
    expect(check.stderr).toContain('(0 to add, 1 to change, 0 to remove; 1 edited by hand: move the edits into the spec, or overwrite them with --force)');

    const forced = await cli('--spec', twoApps, '--into', checkout, '--force');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`${checkout}: 0 added, 1 changed, 0 removed`);
    expect(forced.stdout).toContain('overwrote 1 hand-edited file (--force)');
    expect(readFile(checkout, edited)).toContain('selfHeal: true');
    commitAll(checkout, 'back to the spec');
  });

  test('--check fails on drift with a unified diff, and passes right after a write', async () => {
    const changed = specFile(3, (spec) => {
      spec.apps.splice(1, 1);
      spec.apps[0].replicas = 4;
    });
    const drift = await cli('--spec', changed, '--into', checkout, '--check');
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('--- a/app1/overlays/production/deployment-patch.yaml\n+++ b/app1/overlays/production/deployment-patch.yaml\n');
    expect(drift.stdout).toContain('-  replicas: 2\n+  replicas: 4\n');
    expect(drift.stderr).toContain(`${checkout}: not what ${changed} produces (0 to add, 1 to change, 0 to remove)`);

    expect((await cli('--spec', changed, '--into', checkout)).status).toBe(0);
    const clean = await cli('--spec', changed, '--into', checkout, '--check');
    expect({ status: clean.status, stdout: clean.stdout }).toEqual({ status: 0, stdout: '' });
  });
});

describe('cdk8s synth of a spec with several environments', () => {
  test('writes every environment into the checkout and into the output directory, and the release workflows once', () => {
    const checkout = gitCheckout();
    const out = mkdtempSync(join(tmpdir(), 'synth-environments-'));
    const result = spawnSync(repoPath('node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '-o', join(out, 'dist'), '--app', APP], {
      cwd: repoPath(),
      encoding: 'utf8',
      env: {
        ...process.env,
        PLATFORM_SPEC: repoPath('examples', 'two-environments', 'platform.yaml'),
        PLATFORM_MANIFESTS_DIR: checkout,
        PLATFORM_WORKFLOWS_DIR: join(out, 'ci.out'),
      },
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/^\s+at /m) });
    const written = listFiles(checkout);
    expect(written.filter((p) => p.startsWith('argocd/bootstrap/') && p.endsWith('/root-application.yaml')).sort()).toEqual([
      'argocd/bootstrap/production/root-application.yaml',
      'argocd/bootstrap/staging/root-application.yaml',
    ]);
    expect(written).toContain('.github/workflows/promote-production.yml');
    expect(listFiles(join(out, 'dist')).sort()).toEqual(written.filter((p) => p !== CheckoutWriter.INDEX_FILE).sort());
    expect(listFiles(join(out, 'ci.out'))).toEqual(expect.arrayContaining(['shop-app/.github/workflows/release-main.yml']));
  });
});
