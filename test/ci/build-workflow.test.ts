import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { PlatformSpecLoader } from '../../lib/spec/loader';
import { Platform } from '../../lib/spec/platform';
import type { ResolvedPlatform } from '../../lib/spec/resolved';
import { cdkApp, repoPath, sandboxSpec } from '../fixtures';
import { resolveIntrinsics, trustAdmits } from '../support/iam-eval';

/** The sandbox, with the app delivered in `delivery` mode (and optionally the vault-plugin backend). */
function platformWith(delivery: string, vaultPlugin = false): ResolvedPlatform {
  const spec = sandboxSpec();
  spec.apps[0].delivery = delivery;
  if (delivery !== 'image-updater') delete spec.apps[0].imageUpdate;
  if (vaultPlugin) spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

function workflowOf(platform: ResolvedPlatform): { path: string; text: string; workflow: any } {
  const file = new CiWorkflows(platform).workflowFiles().find((f) => f.path.endsWith('.github/workflows/release-main.yml'))!;
  return { path: file.path, text: file.content, workflow: parse(file.content) };
}

/** Runs action-validator on a workflow; returns its exit code and output. */
function actionValidator(text: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  const path = join(dir, '.github', 'workflows', 'release.yml');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const result = spawnSync(repoPath('node_modules', '.bin', 'action-validator'), [path], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const modes: [string, ResolvedPlatform][] = [
  ['image-updater', platformWith('image-updater')],
  ['pull-request', platformWith('pull-request')],
  ['argocd-cli', platformWith('argocd-cli')],
  ['argocd-cli with argocd-vault-plugin', platformWith('argocd-cli', true)],
];

describe.each(modes)('the release workflow (%s)', (_mode, platform) => {
  const { text, workflow, path } = workflowOf(platform);

  test('is written for the application repository and passes action-validator', () => {
    expect(path).toBe('sandbox-app/.github/workflows/release-main.yml');
    expect(actionValidator(text)).toEqual({ status: 0, output: '' });
  });

  test('runs on release tags, with id-token only where the role is assumed', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const withIdToken = Object.entries<any>(workflow.jobs).filter(([, job]) => job.permissions?.['id-token'] === 'write').map(([name]) => name);
    expect(withIdToken).toEqual(['push']);
  });

  test('assumes the app CI role with pinned current actions, and pushes every image with the version tag', () => {
    const steps = workflow.jobs.push.steps;
    expect(steps.map((s: any) => s.uses).filter(Boolean)).toEqual([
      'actions/checkout@v7',
      'aws-actions/configure-aws-credentials@v6',
      'aws-actions/amazon-ecr-login@v2',
    ]);
    expect(steps[1].with).toMatchObject({ 'role-to-assume': 'arn:aws:iam::123456789012:role/sandbox-main-ci', 'aws-region': 'ap-northeast-1' });
    expect(workflow.env).toEqual({ AWS_REGION: 'ap-northeast-1', REGISTRY: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com', TAG: '${{ github.ref_name }}' });
    const build = steps.find((s: any) => s.name === 'Build and push').run;
    for (const [repo, dockerfile] of [
      ['sandbox/main/app', 'build/app/Dockerfile.prod'],
      ['sandbox/main/web', 'build/web/Dockerfile'],
      ['sandbox/main/migration', 'build/migration/Dockerfile'],
    ]) {
      expect(build).toContain(`docker build -t "$REGISTRY/${repo}:$TAG" -f ${dockerfile} .`);
      expect(build).toContain(`docker push "$REGISTRY/${repo}:$TAG"`);
    }
  });
});

describe('workflow and role agree', () => {
  test('a push of a tag the workflow triggers on carries a subject the synthesized CI role trusts; a branch push does not', () => {
    const platform = platformWith('image-updater');
    const gitops = new GitOpsPlatform(cdkApp(), 'w', { platform });
    const json = Template.fromStack(gitops.platformStack).toJSON();
    const { workflow } = workflowOf(platform);
    const roleArn = workflow.jobs.push.steps[1].with['role-to-assume'];
    const role = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === roleArn.split('/').pop());
    const trust = resolveIntrinsics(role.Properties.AssumeRolePolicyDocument, json);
    const provider = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const claims = (ref: string) => ({ 'token.actions.githubusercontent.com:sub': `repo:example-org/sandbox-app:${ref}`, 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(trustAdmits(trust, provider, claims('ref:refs/tags/v1.0.0'))).toBe(true);
    expect(trustAdmits(trust, provider, claims('ref:refs/heads/main'))).toBe(false);
  });

  test('action-validator does reject a broken workflow', () => {
    const { text } = workflowOf(platformWith('image-updater'));
    expect(actionValidator(text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')).status).not.toBe(0);
  });
});

describe('delivery modes', () => {
  test('image-updater: nothing after the push (the Image Updater picks up the tag)', () => {
    expect(Object.keys(workflowOf(platformWith('image-updater')).workflow.jobs)).toEqual(['changes', 'push']);
  });

  test('pull-request: sets every image tag in the overlay and opens a pull request on the manifest repository', () => {
    const deliver = workflowOf(platformWith('pull-request')).workflow.jobs.deliver;
    expect(deliver.needs).toBe('push');
    expect(deliver.steps[0]).toEqual({
      uses: 'actions/checkout@v7',
      with: { repository: 'example-org/sandbox-manifests', ref: 'main', token: '${{ secrets.MANIFEST_REPO_TOKEN }}', path: 'manifests' },
    });
    expect(deliver.steps[1]['working-directory']).toBe('manifests/main/overlays/production');
    const registry = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
    expect(deliver.steps[1].run).toBe(
      `kustomize edit set image "${registry}/sandbox/main/migration=${registry}/sandbox/main/migration:$TAG" ` +
        `"${registry}/sandbox/main/app=${registry}/sandbox/main/app:$TAG" "${registry}/sandbox/main/web=${registry}/sandbox/main/web:$TAG"\n`,
    );
    expect(deliver.steps[2].run).toContain('gh pr create --base main --head "$branch"');
  });

  test('argocd-cli: upserts the Application with the images at the new tag, no manifest commit', () => {
    const deliver = workflowOf(platformWith('argocd-cli')).workflow.jobs.deliver;
    const run = deliver.steps[1].run;
    expect(run).toMatch(/^argocd app create main \\\n  --upsert \\\n/);
    expect(run).toContain('--path main/overlays/production');
    expect(run).toContain('--project sandbox');
    expect(run).toContain('--dest-namespace main');
    expect(run).toContain('--kustomize-image "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app:$TAG"');
    expect(run).not.toContain('--config-management-plugin');
    expect(deliver.env).toEqual({ ARGOCD_SERVER: '${{ secrets.ARGOCD_SERVER }}', ARGOCD_AUTH_TOKEN: '${{ secrets.ARGOCD_AUTH_TOKEN }}' });
  });

  test('argocd-cli with the vault plugin: the plugin receives image name, tag and repository as env', () => {
    const run = workflowOf(platformWith('argocd-cli', true)).workflow.jobs.deliver.steps[1].run;
    expect(run).toContain('--config-management-plugin avp-kustomize');
    expect(run).toContain('--plugin-env IMAGE_TAG="$TAG"');
    expect(run).toContain('--plugin-env APP_REPO="${{ github.server_url }}/${{ github.repository }}"');
    expect(run).toMatch(/--plugin-env IMAGE_NAME="\S+\/sandbox\/main\/migration \S+\/sandbox\/main\/app \S+\/sandbox\/main\/web"/);
  });

  test('the README of the workflow output and the header of each workflow name the secrets its mode needs', () => {
    const readme = (p: ResolvedPlatform) => new CiWorkflows(p).workflowFiles().find((f) => f.path === 'README.md')!.content;
    expect(readme(platformWith('image-updater'))).toContain('It needs no repository secrets.');
    expect(readme(platformWith('pull-request'))).toContain('`MANIFEST_REPO_TOKEN`');
    expect(readme(platformWith('argocd-cli'))).toContain('`ARGOCD_AUTH_TOKEN`');
    expect(workflowOf(platformWith('image-updater')).text.split('\n')[1]).toBe('# Repository secrets it needs: none.');
    expect(workflowOf(platformWith('pull-request')).text.split('\n')[1]).toMatch(/^# Repository secrets it needs: MANIFEST_REPO_TOKEN: may push branches/);
  });
});

describe('skipping builds when only deployment files change', () => {
  // The `changes` step's script, run in a real Git repository with release tags.
  const script = workflowOf(platformWith('image-updater')).workflow.jobs.changes.steps[1].run;
  const repo = mkdtempSync(join(tmpdir(), 'app-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const commitAndTag = (file: string, tag: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), `${tag}\n`);
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', tag);
    git('tag', tag);
    return git('rev-parse', 'HEAD');
  };
  const outputsAt = (sha: string) => {
    const output = join(repo, '..', `${repo.split('/').pop()}-output`);
    writeFileSync(output, '');
    execFileSync('bash', ['-e', '-c', script], { cwd: repo, env: { ...process.env, GITHUB_SHA: sha, GITHUB_OUTPUT: output } });
    return Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split('=')));
  };
  git('init', '-q');
  const first = commitAndTag('src/main.go', 'v1.0.0');
  const deployOnly = commitAndTag('deploy/values.yaml', 'v1.0.1');
  const docsOnly = commitAndTag('docs/guide.md', 'v1.0.2');
  const source = commitAndTag('src/main.go', 'v1.1.0');

  test('the first release builds', () => expect(outputsAt(first)).toEqual({ previous: '', build: 'true' }));
  test('a release changing only deploy/ reuses the previous images', () => expect(outputsAt(deployOnly)).toEqual({ previous: 'v1.0.0', build: 'false' }));
  test('a release changing only Markdown reuses them too', () => expect(outputsAt(docsOnly)).toEqual({ previous: 'v1.0.1', build: 'false' }));
  test('a release changing source builds', () => expect(outputsAt(source)).toEqual({ previous: 'v1.0.2', build: 'true' }));
});
