// Every `with:` input of every generated workflow step is one the action documents at the major
// version the step pins. An input an action does not know is only a warning on GitHub ("Unexpected
// input"), and the step runs without it: a misspelt `cache-to` would build without a cache, a
// misspelt `provenance` without provenance, and nothing would fail.
import { parse } from 'yaml';
import { ACTIONS } from '../../lib/ci/build-workflow';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { promotionWorkflowFiles } from '../../lib/ci/promotion-workflow';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';

/**
 * The inputs each pinned action documents: the `inputs:` keys of its `action.yml` at the first
 * release of the major (so every release the major tag may point at accepts them), checked to be the
 * same at the newest release of the major named beside it.
 */
const DOCUMENTED_INPUTS: Record<string, { source: string; inputs: string[] }> = {
  'actions/checkout@v7': {
    source: 'actions/checkout action.yml at v7.0.0 (same at v7.0.1)',
    inputs: [
      'repository', 'ref', 'token', 'ssh-key', 'ssh-known-hosts', 'ssh-strict', 'ssh-user', 'persist-credentials', 'path', 'clean', 'filter',
      'sparse-checkout', 'sparse-checkout-cone-mode', 'fetch-depth', 'fetch-tags', 'show-progress', 'lfs', 'submodules', 'set-safe-directory',
      'github-server-url', 'allow-unsafe-pr-checkout',
    ],
  },
  'aws-actions/configure-aws-credentials@v6': {
    source: 'aws-actions/configure-aws-credentials action.yml at v6.0.0 (v6.2.3 adds none the workflows use)',
    inputs: [
      'aws-region', 'role-to-assume', 'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'web-identity-token-file', 'role-chaining',
      'audience', 'http-proxy', 'no-proxy', 'mask-aws-account-id', 'role-duration-seconds', 'role-external-id', 'role-session-name',
      'role-skip-session-tagging', 'transitive-tag-keys', 'inline-session-policy', 'managed-session-policies', 'output-credentials',
      'output-env-credentials', 'unset-current-credentials', 'disable-retry', 'retry-max-attempts', 'special-characters-workaround',
      'use-existing-credentials', 'allowed-account-ids', 'force-skip-oidc', 'action-timeout-s',
    ],
  },
  'aws-actions/amazon-ecr-login@v2': {
    source: 'aws-actions/amazon-ecr-login action.yml at v2.0.0 (v2.1.7 adds none the workflows use)',
    inputs: ['http-proxy', 'mask-password', 'registries', 'registry-type', 'skip-logout'],
  },
  'docker/setup-qemu-action@v4': {
    source: 'docker/setup-qemu-action action.yml at v4.0.0 (v4.2.0 adds reset)',
    inputs: ['image', 'platforms', 'cache-image'],
  },
  'docker/setup-buildx-action@v4': {
    source: 'docker/setup-buildx-action action.yml at v4.0.0 (same at v4.3.0)',
    inputs: [
      'version', 'driver', 'driver-opts', 'buildkitd-flags', 'buildkitd-config', 'buildkitd-config-inline', 'use', 'name', 'endpoint', 'platforms',
      'append', 'keep-state', 'cache-binary', 'cleanup',
    ],
  },
  'docker/build-push-action@v7': {
    source: 'docker/build-push-action action.yml at v7.0.0 (same at v7.3.0); README "inputs" table',
    inputs: [
      'add-hosts', 'allow', 'annotations', 'attests', 'build-args', 'build-contexts', 'builder', 'cache-from', 'cache-to', 'call', 'cgroup-parent',
      'context', 'file', 'labels', 'load', 'network', 'no-cache', 'no-cache-filters', 'outputs', 'platforms', 'provenance', 'pull', 'push', 'sbom',
      'secrets', 'secret-envs', 'secret-files', 'shm-size', 'ssh', 'tags', 'target', 'ulimit', 'github-token',
    ],
  },
  'sigstore/cosign-installer@v4': {
    source: 'sigstore/cosign-installer action.yml at v4.0.0 (same at v4.1.2; default cosign-release v3.x)',
    inputs: ['cosign-release', 'install-dir', 'use-sudo'],
  },
};

/** Every generated workflow: the release workflow of each delivery mode, the preview workflows, and the promotion workflows. */
function generatedWorkflows(): { name: string; workflow: any }[] {
  // arm64 nodes too: their images are built under QEMU.
  const releases = ['image-updater', 'pull-request', 'argocd-cli', 'arm64'].flatMap((delivery) => {
    const spec = sandboxSpec();
    if (delivery === 'arm64') spec.cluster = { nodes: { instanceTypes: ['m7g.large'] } };
    else spec.apps[0].delivery = delivery;
    if (delivery !== 'image-updater') delete spec.apps[0].imageUpdate;
    const files = new CiWorkflows(Platform.resolve(PlatformSpecLoader.fromObject(spec))).workflowFiles().filter((f) => f.path.endsWith('.yml'));
    return files.map((f) => ({ name: `${delivery}: ${f.path}`, workflow: parse(f.content) }));
  });
  const previews = new CiWorkflows(Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')))).workflowFiles()
    .filter((f) => f.path.includes('/preview'))
    .map((f) => ({ name: `previews: ${f.path}`, workflow: parse(f.content) }));
  const environments = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
  const promotions = promotionWorkflowFiles(environments).map((f) => ({ name: f.path, workflow: parse(f.content) }));
  return [...releases, ...previews, ...promotions];
}

const steps = generatedWorkflows().flatMap(({ name, workflow }) =>
  Object.entries<any>(workflow.jobs).flatMap(([job, definition]) =>
    (definition.steps as any[]).filter((s) => s.uses).map((s) => ({ where: `${name} ${job}: ${s.name ?? s.uses}`, uses: s.uses as string, inputs: Object.keys(s.with ?? {}) })),
  ),
);

describe('action inputs', () => {
  test('the table covers exactly the actions the workflows pin', () => {
    expect(Object.keys(DOCUMENTED_INPUTS).sort()).toEqual([...Object.values(ACTIONS)].sort());
    expect([...new Set(steps.map((s) => s.uses))].sort()).toEqual([...Object.values(ACTIONS)].sort());
  });

  test('the preview workflows are among them', () => {
    expect(steps.filter((s) => s.where.startsWith('previews: ')).map((s) => s.uses)).toEqual(expect.arrayContaining([ACTIONS.checkout, ACTIONS.configureAwsCredentials, ACTIONS.buildPush]));
  });

  test('the promotion workflows are among them, with the actions their verification uses', () => {
    expect(steps.filter((s) => s.where.startsWith('.github/workflows/promote-')).map((s) => s.uses)).toEqual([
      ACTIONS.checkout,
      ACTIONS.configureAwsCredentials,
      ACTIONS.amazonEcrLogin,
      ACTIONS.cosignInstaller,
    ]);
  });

  test('every step passes only inputs its action documents at the pinned major', () => {
    const unknown = steps.flatMap((s) => s.inputs.filter((i) => !DOCUMENTED_INPUTS[s.uses]?.inputs.includes(i)).map((i) => `${s.where}: ${i}`));
    expect(unknown).toEqual([]);
    // The check is real: the build step passes inputs, and a misspelt one would be caught.
    const build = steps.find((s) => s.uses === ACTIONS.buildPush)!;
    expect(build.inputs).toEqual(expect.arrayContaining(['cache-from', 'cache-to', 'provenance', 'sbom', 'outputs', 'platforms']));
    expect(DOCUMENTED_INPUTS[ACTIONS.buildPush].inputs).not.toContain('cache_to');
  });
});
