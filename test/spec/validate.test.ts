import { PlatformSpecError, PlatformSpecLoader } from '../../lib/spec/loader';
import { validateSpec } from '../../lib/spec/validate';
import { sandboxSpec, specWithTenMistakes, TEN_MISTAKE_PATHS } from '../fixtures';

/** The problems of a spec after `mutate`, as `path: message` lines. */
function problemsAfter(mutate: (spec: any) => void): string[] {
  const spec = sandboxSpec();
  mutate(spec);
  return validateSpec(spec).map((p) => `${p.path}: ${p.message}`);
}

/** Asserts that `mutate` yields exactly one problem, at `path`, whose message matches `message`. */
function expectOneProblem(mutate: (spec: any) => void, path: string, message: RegExp) {
  const problems = problemsAfter(mutate);
  expect(problems).toHaveLength(1);
  expect(problems[0].startsWith(`${path}: `)).toBe(true);
  expect(problems[0]).toMatch(message);
}

describe('the sandbox spec', () => {
  test('is valid', () => {
    expect(validateSpec(sandboxSpec())).toEqual([]);
  });
});

describe('field rules', () => {
  test.each([
    ['a required field is missing', (s: any) => delete s.dns.hostedZoneId, 'dns.hostedZoneId', /is required/],
    ['an unknown field (a typo)', (s: any) => (s.apps[0].replica = 3), 'apps[0].replica', /unknown field; allowed here: .*replicas/],
    ['a namespace that is not a DNS label', (s: any) => (s.apps[0].namespace = 'Main'), 'apps[0].namespace', /'Main' is not a DNS-1123 label/],
    ['a platform name over 20 characters', (s: any) => (s.name = 'a'.repeat(21)), 'name', /21 characters; at most 20/],
    ['a malformed region', (s: any) => (s.aws.region = 'tokyo'), 'aws.region', /'tokyo' is not an AWS region/],
    ['a malformed account', (s: any) => (s.aws.account = '1234'), 'aws.account', /not a 12-digit AWS account id/],
    ['an account given as a number', (s: any) => (s.aws.account = 123456789012), 'aws.account', /expected a string, got the number 123456789012/],
    ['an unsupported Kubernetes version', (s: any) => (s.cluster.version = '1.20'), 'cluster.version', /'1.20' is not allowed; use one of 1.32, 1.33, 1.34, 1.35/],
    ['a port out of range', (s: any) => (s.apps[0].containers[0].port = 70000), 'apps[0].containers[0].port', /70000 is above the maximum 65535/],
    ['a fractional replica count', (s: any) => (s.apps[0].replicas = 1.5), 'apps[0].replicas', /expected a whole number/],
    ['an unknown delivery mode', (s: any) => (s.apps[0].delivery = 'push'), 'apps[0].delivery', /'push' is not allowed; use one of image-updater, pull-request, argocd-cli/],
    ['an unknown strategy', (s: any) => (s.apps[0].imageUpdate.strategy = 'latest'), 'apps[0].imageUpdate.strategy', /use one of semver, newest-build, digest, alphabetical/],
    ['an empty app list', (s: any) => (s.apps = []), 'apps', /needs at least 1 entry/],
    ['apps given as a mapping', (s: any) => (s.apps = { main: {} }), 'apps', /expected a list, got a mapping/],
    ['a bad environment variable name', (s: any) => (s.apps[0].containers[0].env = { 'BAD-NAME': 'x' }), 'apps[0].containers[0].env.BAD-NAME', /not an environment variable name/],
    ['a hosted zone id in lowercase', (s: any) => (s.dns.hostedZoneId = 'z123'), 'dns.hostedZoneId', /not a Route 53 hosted zone id/],
    ['a memory quantity without a number', (s: any) => (s.apps[0].containers[0].resources = { memoryLimit: 'lots' }), 'apps[0].containers[0].resources.memoryLimit', /'lots' is not a memory quantity/],
    ['a branch with a wildcard', (s: any) => (s.apps[0].ci.branches = ['release/*']), 'apps[0].ci.branches[0]', /not a plain branch or environment name/],
    ['an OIDC provider ARN for another issuer', (s: any) => (s.github.oidcProviderArn = 'arn:aws:iam::123456789012:oidc-provider/example.com'), 'github.oidcProviderArn', /token.actions.githubusercontent.com/],
  ])('%s', (_name, mutate, path, message) => {
    expectOneProblem(mutate, path, message);
  });

  test('a document that is not a mapping is reported as such', () => {
    expect(validateSpec(['not', 'a', 'spec']).map((p) => `${p.path}: ${p.message}`)).toEqual([
      '(document): expected a mapping of fields, got a list',
    ]);
  });
});

describe('rules across fields', () => {
  test.each([
    ['duplicate app names', (s: any) => s.apps.push({ ...s.apps[0], namespace: 'other', host: 'o.example.com' }), 'apps[1].name', /'main' is already the name of apps\[0\]/],
    ['two apps in one namespace', (s: any) => s.apps.push({ ...s.apps[0], name: 'other', host: 'o.example.com', migration: undefined, ingress: undefined, containers: [{ name: 'x', port: 80 }] }), 'apps[1].namespace', /'main' is already the namespace of apps\[0\]/],
    ['an app in the Argo CD namespace', (s: any) => (s.apps[0].namespace = 'argocd'), 'apps[0].namespace', /'argocd' is reserved/],
    ['a host outside the domain', (s: any) => (s.apps[0].host = 'sandbox.example.org'), 'apps[0].host', /not under dns.domain 'example.com'/],
    ['a host that only ends with the domain text', (s: any) => (s.apps[0].host = 'notexample.com'), 'apps[0].host', /not under dns.domain/],
    ['the latest tag', (s: any) => (s.apps[0].containers[0].tag = 'latest'), 'apps[0].containers[0].tag', /'latest' is not allowed/],
    ['duplicate container names', (s: any) => { s.apps[0].containers[1].name = 'app'; s.apps[0].ingress.container = 'app'; }, 'apps[0].containers[1].name', /already the name of containers\[0\]/],
    ['an Ingress to a missing container', (s: any) => (s.apps[0].ingress.container = 'nginx'), 'apps[0].ingress.container', /'nginx' is not a container of this app; use one of app, web/],
    ['an Ingress to a container without a port', (s: any) => delete s.apps[0].containers[1].port, 'apps[0].ingress.container', /'web' has no port/],
    ['no container with a port', (s: any) => { delete s.apps[0].ingress; s.apps[0].containers.forEach((c: any) => delete c.port); }, 'apps[0].containers', /no container has a port/],
    ['a secret env key not in the secret', (s: any) => (s.apps[0].containers[0].secretEnv.DB_HOST = 'hostname'), 'apps[0].containers[0].secretEnv.DB_HOST', /'hostname', which is not in apps\[0\].secret.keys/],
    ['secret env without a secret', (s: any) => { delete s.apps[0].secret; delete s.apps[0].migration.secretEnv; s.apps[0].containers[0].secretEnv = { A: 'a' }; }, 'apps[0].containers[0].secretEnv.A', /the app has no secret/],
    ['a secret key listed twice', (s: any) => s.apps[0].secret.keys.push('host'), 'apps[0].secret.keys', /'host' is listed twice/],
    ['a remote key outside the app prefix', (s: any) => (s.apps[0].secret.remoteKey = 'database-secrets'), 'apps[0].secret.remoteKey', /outside the prefix 'sandbox\/main\/'/],
    ['a tag pattern matching every tag', (s: any) => (s.apps[0].ci.tagPatterns = ['*']), 'apps[0].ci.tagPatterns[0]', /matches every tag/],
    ['a CI role nobody may assume', (s: any) => (s.apps[0].ci.tagPatterns = []), 'apps[0].ci', /no tag pattern, branch, environment or pull request/],
    ['a repository id without an owner id', (s: any) => (s.apps[0].ci.repositoryId = '42'), 'apps[0].ci.repositoryId', /set github.ownerId/],
    ['image update settings with another delivery', (s: any) => (s.apps[0].delivery = 'pull-request'), 'apps[0].imageUpdate', /applies only to delivery 'image-updater'/],
    ['an invalid allowTags expression', (s: any) => (s.apps[0].imageUpdate.allowTags = '^v(1'), 'apps[0].imageUpdate.allowTags', /not a valid regular expression/],
    ['a shared ECR repository', (s: any) => (s.apps[0].containers[1].repository = 'sandbox/main/app'), 'apps[0].containers[1].repository', /'sandbox\/main\/app' is already used by apps\[0\].containers\[0\].repository/],
    ['an app named like a platform Application', (s: any) => (s.apps[0].name = 'external-secrets'), 'apps[0].name', /'external-secrets' is the name of a platform Argo CD Application/],
    ['an app named like another app secrets Application', (s: any) => s.apps.push({ name: 'main-secrets', host: 'x.example.com', ci: { repository: 'x' }, containers: [{ name: 'x', port: 80 }] }), 'apps[1].name', /the secrets of app 'main'/],
    ['digest updates with a migration', (s: any) => (s.apps[0].imageUpdate.strategy = 'digest'), 'apps[0].imageUpdate.strategy', /no tag for the migration to follow/],
    ['minSize above maxSize', (s: any) => (s.cluster.nodes = { minSize: 5, maxSize: 3, desiredSize: 4 }), 'cluster.nodes.minSize', /5 is larger than maxSize 3/],
    ['a Vault backend without Vault settings', (s: any) => (s.secrets = { backend: 'vault' }), 'secrets.vault', /is required when secrets.backend is 'vault'/],
    ['Vault settings with the Secrets Manager backend', (s: any) => (s.secrets = { vault: { address: 'https://vault:8200' } }), 'secrets.vault', /secrets.backend is 'secrets-manager'/],
    ['the vault plugin with a managed Argo CD', (s: any) => { s.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault:8200' } }; s.argocd = { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } }; }, 'secrets.backend', /runs no config management plugins/],
    ['a managed Argo CD without Identity Center', (s: any) => (s.argocd = { managed: true }), 'argocd.identityCenter', /is required when argocd.managed is true/],
    ['Identity Center without a managed Argo CD', (s: any) => (s.argocd = { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } }), 'argocd.identityCenter', /applies only to the managed Argo CD/],
    ['a malformed Identity Center instance ARN', (s: any) => (s.argocd = { managed: true, identityCenter: { instanceArn: 'ssoins-1' } }), 'argocd.identityCenter.instanceArn', /not an IAM Identity Center instance ARN/],
    ['prune without automated sync', (s: any) => (s.argocd = { syncPolicy: { automated: false, prune: true } }), 'argocd.syncPolicy.prune', /needs automated: true/],
  ])('%s', (_name, mutate, path, message) => {
    expectOneProblem(mutate, path, message);
  });
});

describe('reporting', () => {
  test('ten mistakes give ten messages in one error, each naming its field', () => {
    const spec = specWithTenMistakes();

    let error: PlatformSpecError | undefined;
    try {
      PlatformSpecLoader.fromObject(spec, 'platform.yaml');
    } catch (e) {
      error = e as PlatformSpecError;
    }
    expect(error).toBeInstanceOf(PlatformSpecError);
    expect(error!.problems.map((p) => p.path)).toEqual(TEN_MISTAKE_PATHS);
    expect(error!.message.split('\n')[0]).toBe('platform.yaml: 10 problems');
    expect(error!.message).toContain("  - apps[0].namespace: 'Main' is not a DNS-1123 label");
  });
});
