// The package's CLI: help, usage mistakes, the plan, application repository checkouts. Through
// `main()` in this process (test/cli/run-cli.ts), but for what is about the process: `--help` and
// its exit status, and the spec found in the working directory.
import { execFileSync } from 'child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { runCli, runMain } from './run-cli';
import { CheckoutWriter } from '../../lib/output/checkout-writer';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, specWithApps } from '../fixtures';
import { commitAll, gitCheckout, listFiles, readFile, treeHash, writeFile } from '../support/git-checkout';
import { runReleasePullRequest } from '../support/release-pull-request';

const SANDBOX = repoPath('examples', 'sandbox', 'platform.yaml');
const TWO_ENVIRONMENTS = repoPath('examples', 'two-environments', 'platform.yaml');

/** `cdk-eks-gitops <args>` through `main()`, with `env` as its environment. */
const cli = (args: string[], env: Record<string, string> = {}) => runMain(args, env);

function specFile(spec: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cli-spec-')), 'platform.yaml');
  writeFileSync(path, stringify(spec));
  return path;
}

describe('cdk-eks-gitops', () => {
  test('--help lists the commands; manifests --help shows its options', async () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/^Usage: cdk-eks-gitops <command> \[options\]\n/);
    expect(top.stdout).toMatch(/\n {2}manifests {2}write the manifest tree/);
    const sub = await cli(['manifests', '--help']);
    expect(sub.status).toBe(0);
    for (const flag of ['--spec FILE', '--into DIR', '--app-repo NAME=PATH', '--dry-run', '--check', '--force']) expect(sub.stdout).toContain(flag);
  });

  test.each([
    [['nope'], "cdk-eks-gitops: unknown command 'nope' (commands: init, validate, synth, manifests, teardown)\nRun 'cdk-eks-gitops --help' for usage.\n"],
    [['manifests', '--bogus'], "cdk-eks-gitops: Unknown option '--bogus'\nRun 'cdk-eks-gitops manifests --help' for usage.\n"],
    [['manifests', '--spec', SANDBOX], 'cdk-eks-gitops: nothing to write: give --into DIR (the manifest repository checkout) and/or --app-repo NAME=PATH\n'],
    [['manifests', '--into', '.', '--check', '--dry-run'], 'cdk-eks-gitops: --check and --dry-run do not go together'],
    [['manifests', '--into', '.', '--check', '--force'], 'cdk-eks-gitops: --force has no effect with --check'],
    [['manifests', '--app-repo', 'sandbox-app'], "cdk-eks-gitops: --app-repo 'sandbox-app': expected NAME=PATH, NAME being an apps[].ci.repository of the spec\n"],
    [['manifests', '--into'], "cdk-eks-gitops: Option '--into <value>' argument missing\n"],
  ])('a usage mistake (%j) exits 2 with one message and no stack trace', async (args, message) => {
    const { status, stderr, stdout } = await cli(args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('without --spec it reads platform.yaml, and says so when there is none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-spec-'));
    const { status, stderr } = runCli(['manifests', '--into', '.'], { cwd: empty });
    expect(status).toBe(2);
    expect(stderr).toContain('no spec: platform.yaml does not exist here; name the spec with --spec FILE (or PLATFORM_SPEC=FILE)');

    copyFileSync(SANDBOX, join(empty, 'platform.yaml'));
    const checkout = gitCheckout();
    expect(runCli(['manifests', '--into', checkout], { cwd: empty }).status).toBe(0);
    expect(listFiles(checkout)).toContain('main/base/workload.yaml');
  });

  test('a bad spec exits 1 with every problem, each naming its field, and no stack trace; CDK_EKS_GITOPS_DEBUG=1 adds it', async () => {
    const spec = sandboxSpec();
    spec.apps[0].replicas = 0;
    spec.aws.region = 'tokyo';
    const path = specFile(spec);
    const checkout = gitCheckout();
    const { status, stderr } = await cli(['manifests', '--spec', path, '--into', checkout]);
    expect(status).toBe(1);
    expect(stderr).toContain(`${path}: 2 problems`);
    expect(stderr).toContain('  - aws.region:');
    expect(stderr).toContain('  - apps[0].replicas:');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect((await cli(['manifests', '--spec', path, '--into', checkout], { CDK_EKS_GITOPS_DEBUG: '1' })).stderr).toMatch(/^\s+at /m);
    expect(listFiles(checkout)).toEqual([]);
  });

  test('two trees into one checkout are refused before anything is written', async () => {
    const checkout = gitCheckout();
    const { status, stderr } = await cli(['manifests', '--spec', SANDBOX, '--into', checkout, '--app-repo', `sandbox-app=${checkout}/`]);
    expect(status).toBe(1);
    expect(stderr).toBe(`--into ${checkout} and --app-repo sandbox-app=${checkout}/ name the same checkout; write each tree into a checkout of its own\n`);
    expect(listFiles(checkout)).toEqual([]);
  });

  test('a spec with several environments: every environment into the one checkout, and each application repository\'s workflows once', async () => {
    const checkout = gitCheckout();
    const appRepo = gitCheckout();
    const { status, stdout, stderr } = await cli(['manifests', '--spec', TWO_ENVIRONMENTS, '--into', checkout, '--app-repo', `shop-app=${appRepo}`]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain(`${checkout}: `);
    const files = listFiles(checkout);
    for (const path of ['argocd/bootstrap/staging/root-application.yaml', 'argocd/bootstrap/production/root-application.yaml', 'main/overlays/staging/kustomization.yaml', 'main/overlays/production/kustomization.yaml', '.github/workflows/promote-production.yml']) {
      expect({ path, written: files.includes(path) }).toEqual({ path, written: true });
    }
    // The release workflow delivers to staging, the environment that follows releases.
    expect(listFiles(appRepo)).toEqual(expect.arrayContaining(['.github/workflows/release-main.yml']));
    expect(readFile(appRepo, '.github/workflows/release-main.yml')).toContain('role/shop-main-ci');
  });

  test('an --app-repo NAME the spec does not have is a usage mistake (exit 2) naming the names it has', async () => {
    const { status, stderr } = await cli(['manifests', '--spec', SANDBOX, '--app-repo', `backend=${gitCheckout()}`]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^cdk-eks-gitops: --app-repo backend=\S+: the spec has no application repository 'backend' \(apps\[\]\.ci\.repository: sandbox-app\)\nRun 'cdk-eks-gitops manifests --help' for usage\.\n$/);
  });

  test('--into or --app-repo naming a file is a usage mistake (exit 2), before the spec is read', async () => {
    const file = join(gitCheckout({ 'notes.md': 'mine\n' }), 'notes.md');
    for (const option of [['--into', file], ['--app-repo', `sandbox-app=${file}`]]) {
      const { status, stderr } = await runMain(['manifests', '--spec', '/nonexistent.yaml', ...option]);
      expect(status).toBe(2);
      expect(stderr).toBe(`cdk-eks-gitops: ${option.join(' ')}: ${file} is a file, not a directory: name the repository's checkout\nRun 'cdk-eks-gitops manifests --help' for usage.\n`);
    }
  });
});

describe('cdk-eks-gitops manifests --dry-run', () => {
  test('prints the plan, added, changed, removed and kept, and writes nothing', async () => {
    const checkout = gitCheckout({ 'notes.md': 'ours\n' });
    expect((await cli(['manifests', '--spec', specFile(specWithApps(2)), '--into', checkout])).status).toBe(0);
    commitAll(checkout, 'two apps');
    writeFile(checkout, 'app1/overlays/production/.argocd-source-app1.yaml', 'kustomize: {}\n');
    const before = treeHash(checkout);

    const spec = JSON.parse(JSON.stringify(specWithApps(3)));
    spec.apps.splice(1, 1);
    spec.apps[0].replicas = 3;
    const { status, stdout } = await cli(['manifests', '--spec', specFile(spec), '--into', checkout, '--dry-run']);
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${checkout} (manifest repository):`);
    expect(lines).toContain('  add     app3/base/workload.yaml');
    expect(lines).toContain('  change  app1/overlays/production/deployment-patch.yaml');
    expect(lines).toContain('  remove  app2/base/workload.yaml  (no longer generated)');
    expect(lines).toContain('  keep    notes.md  (not generated)');
    expect(lines).toContain('  keep    app1/overlays/production/.argocd-source-app1.yaml  (not generated)');
    expect(lines).toContain(`  update  ${CheckoutWriter.INDEX_FILE}  (the index)`);
    expect(treeHash(checkout)).toBe(before);
  });

  test('exits 1 when the write would be refused, listing the refused files; a README of its own is kept, the overview put beside it', async () => {
    const checkout = gitCheckout({ 'README.md': '# shop-manifests\n', 'argocd/bootstrap/project.yaml': '# ours\n' });
    const { status, stdout, stderr } = await cli(['manifests', '--spec', SANDBOX, '--into', checkout, '--dry-run']);
    expect(status).toBe(1);
    const lines = stdout.split('\n');
    expect(lines).toContain('  add     MANIFESTS.md  (in place of README.md, which the writer did not generate)');
    expect(lines).toContain('  keep    README.md  (not generated)');
    expect(lines).toContain('  refuse  argocd/bootstrap/project.yaml  (exists, and the writer did not generate it (it is not in the index); move it away, or take it over with --adopt)');
    expect(stderr).toBe(`writing would fail: ${checkout} has files the writer refuses (listed as refuse); --adopt replaces the ones it did not generate\n`);
  });
});

describe('cdk-eks-gitops manifests after a pull-request release with deploy feedback', () => {
  test('keeps the tag and the commit the release wrote into the Application, as it keeps the overlay\'s tags, and finds no drift', async () => {
    const spec = sandboxSpec();
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    spec.argocd = { deployFeedback: { enabled: true } };
    const path = specFile(spec);
    const checkout = gitCheckout();
    expect((await cli(['manifests', '--spec', path, '--into', checkout])).status).toBe(0);
    commitAll(checkout, 'manifests');
    // The release workflow's own job, against this checkout as its origin; its branch merged.
    const sha = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
    const release = runReleasePullRequest(Platform.resolve(PlatformSpecLoader.fromObject(spec)), checkout, 'v1.1.0', sha);
    expect(release.status).toBe(0);
    execFileSync('git', ['merge', '-q', '--ff-only', release.branch], { cwd: checkout });
    const released = treeHash(checkout);

    const dry = await cli(['manifests', '--spec', path, '--into', checkout, '--dry-run']);
    expect(dry.stdout.split('\n')).toContain(`  keep    argocd/apps/main.yaml  (image tags: app v1.1.0, web v1.1.0, migration v1.1.0, release commit ${sha})`);
    expect((await cli(['manifests', '--spec', path, '--into', checkout, '--check'])).status).toBe(0);
    expect((await cli(['manifests', '--spec', path, '--into', checkout])).status).toBe(0);
    expect(treeHash(checkout)).toBe(released);
    expect(parse(readFile(checkout, 'argocd/apps/main.yaml')).spec.source.kustomize.commonAnnotations).toEqual({ 'cdk-eks-gitops.io/release-revision': sha });
  });
});

describe('cdk-eks-gitops manifests --app-repo', () => {
  // Two apps in one repository (a monorepo) and a third in its own.
  const spec = sandboxSpec();
  spec.apps = [
    { ...spec.apps[0], name: 'api', namespace: 'api', host: 'api.example.com', ci: { repository: 'monorepo', repositoryId: '700' } },
    { ...spec.apps[0], name: 'worker', namespace: 'worker', host: 'worker.example.com', ci: { repository: 'monorepo', repositoryId: '700' } },
    { ...spec.apps[0], name: 'web', namespace: 'web', host: 'web.example.com', ci: { repository: 'web-app', repositoryId: '701' } },
  ];
  const path = specFile(spec);

  test('writes one workflow per app into each repository checkout, with its own index, keeping the rest', async () => {
    const monorepo = gitCheckout({ '.github/workflows/ci.yml': 'on: push\n', 'README.md': '# monorepo\n' });
    const webApp = gitCheckout({ 'package.json': '{}\n' });
    const manifests = gitCheckout();
    const { status, stdout } = await cli(['manifests', '--spec', path, '--into', manifests, '--app-repo', `monorepo=${monorepo}`, '--app-repo', `web-app=${webApp}`]);
    expect(status).toBe(0);
    expect(stdout).toContain(`${monorepo}: 2 added, 0 changed, 0 removed, 0 unchanged; kept 1 file it did not generate`);
    expect(listFiles(monorepo)).toEqual([
      `${CheckoutWriter.INDEX_FILE}`,
      '.github/workflows/ci.yml',
      '.github/workflows/release-api.yml',
      '.github/workflows/release-worker.yml',
      'README.md',
    ].sort());
    expect(listFiles(webApp)).toEqual([CheckoutWriter.INDEX_FILE, '.github/workflows/release-web.yml', 'package.json'].sort());
    expect(readFile(monorepo, 'README.md')).toBe('# monorepo\n');
    expect(readFile(monorepo, '.github/workflows/release-worker.yml')).toContain('name: Release worker');
    // No workflow lands in the manifest repository.
    expect(listFiles(manifests).some((p) => p.startsWith('.github/'))).toBe(false);
  });

  test('an app moved out of the monorepo has its workflow pruned there', async () => {
    const monorepo = gitCheckout();
    expect((await cli(['manifests', '--spec', path, '--app-repo', `monorepo=${monorepo}`])).status).toBe(0);
    const moved = JSON.parse(JSON.stringify(spec));
    moved.apps[1].ci = { repository: 'web-app', repositoryId: '701' };
    const movedSpec = specFile(moved);
    const check = await cli(['manifests', '--spec', movedSpec, '--app-repo', `monorepo=${monorepo}`, '--check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('--- a/.github/workflows/release-worker.yml\n+++ /dev/null\n');
    expect(check.stderr).toContain(`(0 to add, 0 to change, 1 to remove); write it with: npx cdk-eks-gitops manifests --spec ${movedSpec} --app-repo monorepo=${monorepo}`);
    const { status, stdout } = await cli(['manifests', '--spec', movedSpec, '--app-repo', `monorepo=${monorepo}`]);
    expect(status).toBe(0);
    expect(stdout).toContain(`${monorepo}: 0 added, 0 changed, 1 removed, 1 unchanged`);
    expect(listFiles(monorepo)).toEqual([CheckoutWriter.INDEX_FILE, '.github/workflows/release-api.yml']);
  });
});
