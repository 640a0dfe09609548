import { createHash } from 'crypto';
import { parse } from 'yaml';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';
import { actionlintFindings, actionValidator, shellcheckFindings } from '../support/workflow-lint';

/** The two-environment example as a plain object: staging (111111111111) holds the images, production (222222222222) is promoted. */
function twoEnvironmentSpec(): any {
  return JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml'))));
}

function environments(spec: any): ResolvedPlatform[] {
  return Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
}

function releaseWorkflow(platforms: ResolvedPlatform[]): { path: string; text: string; workflow: any } {
  const files = CiWorkflows.forEnvironments(platforms).workflowFiles().filter((f) => f.path.endsWith('.yml'));
  expect(files).toHaveLength(1);
  return { path: files[0].path, text: files[0].content, workflow: parse(files[0].content) };
}

/** Every 12-digit AWS account id a text names. */
const accountsIn = (text: string) => [...new Set(text.match(/\b\d{12}\b/g) ?? [])];

describe('the release workflows of the two-environment example', () => {
  const platforms = environments(twoEnvironmentSpec());
  const { path, text, workflow } = releaseWorkflow(platforms);

  test('one workflow per application, at the path a single environment uses, passing action-validator, actionlint and shellcheck', async () => {
    expect(path).toBe('shop-app/.github/workflows/release-main.yml');
    expect(actionValidator(text)).toEqual({ status: 0, output: '' });
    expect(await actionlintFindings(text)).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('pushes once, to staging\'s registry in its region, as the CI role of the registry account: production\'s account appears nowhere', () => {
    const configure = workflow.jobs.push.steps.find((s: any) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(configure.with).toMatchObject({ 'role-to-assume': 'arn:aws:iam::111111111111:role/shop-main-ci', 'aws-region': 'ap-northeast-1' });
    expect(workflow.env).toMatchObject({ AWS_REGION: 'ap-northeast-1', REGISTRY: '111111111111.dkr.ecr.ap-northeast-1.amazonaws.com' });
    // One job assumes a role, once: there is no second environment to push to.
    const assumes = Object.values<any>(workflow.jobs).flatMap((job) => job.steps.filter((s: any) => s.uses?.startsWith('aws-actions/configure-aws-credentials')));
    expect(assumes).toHaveLength(1);
    expect(accountsIn(text)).toEqual(['111111111111']);
  });

  test('the header and the README say where releases go and where production moves', () => {
    expect(text.split('\n')[2]).toBe(
      '# Releases go to staging; production moves only by the promotion pull requests of example-org/shop-manifests (.github/workflows/promote-production.yml).',
    );
    const readme = CiWorkflows.forEnvironments(platforms).workflowFiles().find((f) => f.path === 'README.md')!.content;
    expect(readme).toContain('Each image is pushed once, into staging\'s registry 111111111111.dkr.ecr.ap-northeast-1.amazonaws.com');
    expect(accountsIn(readme)).toEqual(['111111111111']);
  });
});

describe('where the images live decides the region and the role, never the environment a workflow delivers to', () => {
  test('staging in us-west-2 holds the images: the workflow pushes there, though production and the top level are in ap-northeast-1', async () => {
    const spec = twoEnvironmentSpec();
    spec.environments[0].aws.region = 'us-west-2';
    const { text, workflow } = releaseWorkflow(environments(spec));
    expect(workflow.env).toMatchObject({ AWS_REGION: 'us-west-2', REGISTRY: '111111111111.dkr.ecr.us-west-2.amazonaws.com' });
    expect(workflow.jobs.push.steps.find((s: any) => s.name === 'Assume the CI role').with['aws-region']).toBe('us-west-2');
    expect(text).not.toContain('ap-northeast-1');
    expect(await actionlintFindings(text)).toEqual([]);
  });

  test('with registry.environment production, the one role is production\'s, and the pull request still edits staging\'s overlay', async () => {
    const spec = twoEnvironmentSpec();
    spec.registry.environment = 'production';
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    const { text, workflow } = releaseWorkflow(environments(spec));
    expect(workflow.jobs.push.steps.find((s: any) => s.name === 'Assume the CI role').with['role-to-assume']).toBe('arn:aws:iam::222222222222:role/shop-main-ci');
    expect(accountsIn(text)).toEqual(['222222222222']);
    expect(workflow.jobs.deliver.env).toMatchObject({ OVERLAY: 'main/overlays/staging' });
    expect(actionValidator(text)).toEqual({ status: 0, output: '' });
    expect(await actionlintFindings(text)).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('the pull-request delivery edits the first environment\'s overlay: <app>/overlays/staging', () => {
    const spec = twoEnvironmentSpec();
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    const { workflow } = releaseWorkflow(environments(spec));
    expect(workflow.jobs.deliver.env.OVERLAY).toBe('main/overlays/staging');
    expect(workflow.jobs.deliver.steps[1].name).toBe('Set main to the new tag in main/overlays/staging');
  });
});

describe('CiWorkflows takes every environment, or one that follows releases', () => {
  const platforms = environments(twoEnvironmentSpec());

  test('a promoted environment is refused, naming the way to build the workflows', () => {
    expect(() => new CiWorkflows(platforms[1])).toThrow(
      'CiWorkflows: environment production is promoted from staging, and release workflows deliver to staging, the environment that follows releases; use CiWorkflows.forEnvironments(platforms)',
    );
  });

  test('forEnvironments wants every environment of one platform, in the spec\'s order', () => {
    expect(() => CiWorkflows.forEnvironments([])).toThrow('no environment given');
    expect(() => CiWorkflows.forEnvironments([platforms[0]])).toThrow('expected the environments shop/staging, shop/production in this order, got shop/staging');
    expect(() => CiWorkflows.forEnvironments([platforms[1], platforms[0]])).toThrow('got shop/production, shop/staging');
  });
});

describe('a spec without environments: the workflows are byte for byte what they were', () => {
  // SHA-256 of every workflow output file (path, newline, content, newline) of the sandbox in each
  // delivery mode, recorded before environments existed, again when the workflows began to sign
  // their images (docs/upgrading.md, "Release workflows that sign their images"), and for
  // image-updater when its workflow began to sign with the platform's key too (docs/upgrading.md,
  // "The Image Updater verifies signatures"), and for pull-request when its pull request job began to
  // lease the release branch's remote tip (docs/upgrading.md, "Re-running a release with
  // `pull-request` delivery"). A change here
  // changes every platform repository's workflows: it needs a documented migration, not a new hash.
  const before: [string, (spec: any) => void, string][] = [
    ['image-updater', () => {}, 'e06cab9d7ec1cd220e0500d49029d676f5886fc654327494a5a2cae732003d1e'],
    ['pull-request', (s) => ((s.apps[0].delivery = 'pull-request'), delete s.apps[0].imageUpdate), 'b7eb4f40478c0c27a2a085378bba42f1a3e8400350e7d78712621bc8a892dc7f'],
    ['argocd-cli', (s) => ((s.apps[0].delivery = 'argocd-cli'), delete s.apps[0].imageUpdate), '85d9eeb3c92d449127957883bd4edfb3bd2b1ecbe79c25226a63bffd4baa0ad7'],
    [
      'argocd-cli with argocd-vault-plugin',
      (s) => {
        s.apps[0].delivery = 'argocd-cli';
        delete s.apps[0].imageUpdate;
        s.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
      },
      '52fc4ddc3af77307ed42247b9ceee1b7a27a0b16793841a74526ba94c35d72aa',
    ],
  ];

  test.each(before)('%s', (_mode, mutate, sha256) => {
    const spec = sandboxSpec();
    mutate(spec);
    const platforms = environments(spec);
    expect(platforms).toHaveLength(1);
    const files = CiWorkflows.forEnvironments(platforms).workflowFiles();
    expect(files).toEqual(new CiWorkflows(platforms[0]).workflowFiles());
    const hash = createHash('sha256');
    for (const f of files) hash.update(`${f.path}\n${f.content}\n`);
    expect(hash.digest('hex')).toBe(sha256);
  });

  test('examples/managed-argocd has the sandbox\'s workflows', () => {
    const managed = environments(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml')));
    expect(CiWorkflows.forEnvironments(managed).workflowFiles()).toEqual(CiWorkflows.forEnvironments(environments(sandboxSpec())).workflowFiles());
  });
});
