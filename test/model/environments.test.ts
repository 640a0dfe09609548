import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { AccountResolver, AccountSource } from '../../lib/model/account';
import { runsAddon } from '../../lib/model/addon-list';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxSpec } from '../fixtures';

/**
 * A spec with two environments, each in its own account: staging follows releases and holds the
 * images, production is promoted from it. The sandbox application, with production's overrides.
 */
function twoEnvironments(): any {
  const spec = sandboxSpec();
  delete spec.environment;
  delete spec.aws.account;
  delete spec.github.manifestRepository.credentials;
  spec.apps[0].imageUpdate = { strategy: 'semver' };
  spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:111111111111:dbuser:db-STAGING/app'] }];
  spec.environments = [
    {
      name: 'staging',
      aws: { account: '111111111111' },
      dns: { domain: 'staging.example.com', hostedZoneId: 'Z0STAGING0000000000' },
      cluster: { nodes: { minSize: 1, maxSize: 2 } },
      apps: [{ name: 'main', host: 'sandbox.staging.example.com', replicas: 1 }],
    },
    {
      name: 'production',
      aws: { account: '222222222222' },
      cluster: { nodes: { instanceTypes: ['m7g.large'] } },
      apps: [
        {
          name: 'main',
          replicas: 3,
          containers: [{ name: 'app', resources: { cpuLimit: '1' } }],
          migrationPermissions: [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:222222222222:dbuser:db-PROD/app'] }],
        },
      ],
    },
  ];
  return spec;
}

const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);

describe('a spec without environments is one environment, as before', () => {
  test('resolveEnvironments gives exactly what resolve gives, named after `environment`', () => {
    const spec = PlatformSpecLoader.fromObject(sandboxSpec());
    const [only, ...rest] = Platform.resolveEnvironments(spec);
    expect(rest).toEqual([]);
    expect(only).toEqual(Platform.resolve(spec));
    const { environment, environments, qualifiedName, promotedFrom } = only;
    expect({ environment, environments, qualifiedName, promotedFrom }).toEqual({
      environment: 'production',
      environments: ['production'],
      qualifiedName: 'sandbox',
      promotedFrom: undefined,
    });
    // Names keep their one-environment form: no environment in them.
    const [app] = only.apps;
    expect([only.cluster.name, only.cluster.nodeRoleName, only.argocd.project, app.application.name, app.secret!.remoteKey]).toEqual([
      'sandbox',
      undefined,
      'sandbox',
      'main',
      'sandbox/main/database-secrets',
    ]);
  });
});

describe('two environments in two accounts', () => {
  const spec = PlatformSpecLoader.fromObject(twoEnvironments());
  const [staging, production] = Platform.resolveEnvironments(spec);

  test('validate without a problem', () => {
    expect(problems(twoEnvironments())).toEqual([]);
  });

  test('each is resolved in its own account, with the spec\'s values and its own overrides', () => {
    expect([staging.environment, staging.account, staging.region, staging.dns.domain]).toEqual(['staging', '111111111111', 'ap-northeast-1', 'staging.example.com']);
    expect([production.environment, production.account, production.dns.domain]).toEqual(['production', '222222222222', 'example.com']);
    expect([staging.apps[0].host, staging.apps[0].replicas, production.apps[0].host, production.apps[0].replicas]).toEqual([
      'sandbox.staging.example.com',
      1,
      'sandbox.example.com',
      3,
    ]);
    // The node group's fields are replaced one by one; the rest of the cluster is the spec's.
    expect([staging.cluster.minSize, staging.cluster.maxSize, staging.cluster.instanceTypes]).toEqual([1, 2, ['t3.medium']]);
    expect([production.cluster.minSize, production.cluster.instanceTypes, production.cluster.adminRoleArns]).toEqual([2, ['m7g.large'], ['arn:aws:iam::123456789012:role/platform-admin']]);
    const [app, web] = production.apps[0].containers;
    expect([app.resources.cpuLimit, app.resources.cpuRequest, web.resources.cpuLimit]).toEqual(['1', '200m', '400m']);
    expect(production.apps[0].migration!.role!.permissions[0].resources).toEqual(['arn:aws:rds-db:ap-northeast-1:222222222222:dbuser:db-PROD/app']);
    expect(staging.apps[0].migration!.role!.permissions[0].resources).toEqual(['arn:aws:rds-db:ap-northeast-1:111111111111:dbuser:db-STAGING/app']);
  });

  test('every physical and Argo CD name carries the environment, so no two environments share one', () => {
    const names = (p: typeof staging) => [
      p.qualifiedName,
      p.cluster.name,
      p.cluster.nodeRoleName,
      p.imageUpdater.roleName,
      p.argocd.project,
      p.argocd.rootApplication,
      p.apps[0].stackId,
      p.apps[0].application.name,
      p.apps[0].secret!.applicationName,
      p.apps[0].secret!.remoteKey,
      p.apps[0].externalDns.roleName,
      p.apps[0].externalDnsOwnerId,
      p.manifestRepository.credentials!.secretName,
    ];
    expect(names(staging)).toEqual([
      'sandbox-staging',
      'sandbox-staging',
      'sandbox-staging-nodes',
      'sandbox-staging-image-updater',
      'sandbox-staging',
      'sandbox-staging-root',
      'sandbox-staging-platform',
      'main-staging',
      'main-staging-secrets',
      'sandbox/staging/main/database-secrets',
      'sandbox-staging-main-external-dns',
      'sandbox-staging-main',
      'sandbox/staging/argocd/manifest-repository',
    ]);
    const stagingNames = new Set(names(staging));
    expect(names(production).filter((n) => stagingNames.has(n))).toEqual([]);
  });

  test('images are built once: the repositories and CI roles are the registry environment\'s, and the others pull from it', () => {
    for (const p of [staging, production]) {
      expect(p.registry).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com');
      expect(p.apps[0].containers[0].image.repositoryArn).toBe('arn:aws:ecr:ap-northeast-1:111111111111:repository/sandbox/main/app');
      expect(p.apps[0].ci.role.roleArn).toBe('arn:aws:iam::111111111111:role/sandbox-main-ci');
    }
    expect([staging.images.holdsRepositories, production.images.holdsRepositories]).toEqual([true, false]);
    expect(staging.images.pullers).toEqual([
      { environment: 'production', account: '222222222222', pullRoleArns: ['arn:aws:iam::222222222222:role/sandbox-production-nodes'], readRoleArns: [] },
    ]);
    expect(production.images.pullers).toEqual([]);
  });

  test('staging follows releases through the Image Updater, writing tags to Git; production is promoted from staging', () => {
    expect([staging.promotedFrom, staging.usesImageUpdater, runsAddon(staging, 'argocd-image-updater')]).toEqual([undefined, true, true]);
    expect([production.promotedFrom, production.usesImageUpdater, runsAddon(production, 'argocd-image-updater')]).toEqual(['staging', false, false]);
    expect(staging.apps[0].imageUpdate.writeBack).toBe('git');
  });

  test('a registry in the second environment: the first one\'s Image Updater may read it, across accounts', () => {
    const [first, second] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject({ ...twoEnvironments(), registry: { environment: 'production' } }));
    expect([first.images.holdsRepositories, second.images.holdsRepositories, first.registry]).toEqual([false, true, '222222222222.dkr.ecr.ap-northeast-1.amazonaws.com']);
    expect(second.images.pullers).toEqual([
      {
        environment: 'staging',
        account: '111111111111',
        pullRoleArns: ['arn:aws:iam::111111111111:role/sandbox-staging-nodes'],
        readRoleArns: ['arn:aws:iam::111111111111:role/sandbox-staging-image-updater'],
      },
    ]);
  });

  test('Platform.resolve names the environments when it is not told which one to give', () => {
    expect(() => Platform.resolve(spec)).toThrow(
      'environments: the spec has staging, production; resolve them all with Platform.resolveEnvironments, or name one in options.environment',
    );
    expect(Platform.resolve(spec, { environment: 'production' })).toEqual(production);
    expect(() => Platform.resolve(spec, { environment: 'qa' })).toThrow("options.environment: 'qa' is not an environment of the spec; it has staging, production");
  });

  test('an environment without an account is resolved with options.account, or named in the error', () => {
    const withoutAccount = twoEnvironments();
    delete withoutAccount.environments[1].aws;
    expect(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(withoutAccount), { account: '333333333333' })[1].account).toBe('333333333333');
    expect(() => Platform.resolveEnvironments(PlatformSpecLoader.fromObject(withoutAccount))).toThrow(
      "environments[1].aws.account: no AWS account id for environment 'production'",
    );
  });

  test('AccountResolver asks nobody when every environment names its account', async () => {
    const sts = mockClient(STSClient);
    expect(await AccountResolver.resolve(spec, { env: {} })).toEqual({ account: '111111111111', source: AccountSource.SPEC });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    sts.restore();
  });
});

describe('the rules of environments', () => {
  test('each mistake is reported at the field that makes it, with what is allowed', () => {
    const spec = twoEnvironments();
    spec.environment = 'production';
    spec.registry = { environment: 'qa' };
    spec.environments[0].promoteFrom = 'production';
    spec.environments[1].promoteFrom = 'production';
    spec.environments[1].apps.push({ name: 'nope' });
    spec.environments[1].apps[0].containers.push({ name: 'db', resources: { cpuLimit: '1' } });
    spec.environments[1].apps[0].imageUpdate = { strategy: 'newest-build' };
    expect(problems(spec)).toEqual([
      "environment: names the one environment of a platform without environments; with environments, remove it (the environments are 'staging', 'production')",
      "registry.environment: 'qa' is not an environment; use one of staging, production",
      "environments[0].promoteFrom: the first environment follows releases and is promoted from nothing; remove it, or list 'production' first",
      "environments[1].promoteFrom: 'production' is not an environment listed before 'production'; use one of staging",
      "environments[1].apps[0].containers[1].name: 'db' is not a container of 'main'; use one of app, web",
      "environments[1].apps[0].imageUpdate: 'production' is promoted, not updated by the Image Updater: tags move here by the promotion pull request; remove it",
      "environments[1].apps[1].name: 'nope' is not an application; use one of main",
    ]);
  });

  test("'install' is not an environment name: argocd/bootstrap/install/ is Argo CD's install, beside each environment's bootstrap", () => {
    const spec = twoEnvironments();
    spec.environments[1].name = 'install';
    expect(problems(spec)).toContain(
      "environments[1].name: 'install' is reserved: argocd/bootstrap/install/ holds Argo CD's install, beside each environment's argocd/bootstrap/<name>/; choose another name",
    );
  });

  test('what a promotion needs: the tags staging runs are in Git, and each environment has its own secrets', () => {
    const spec = twoEnvironments();
    spec.apps[0].imageUpdate.writeBack = 'argocd';
    spec.apps[0].secret.remoteKey = 'sandbox/main/database-secrets';
    spec.github.manifestRepository.credentials = { secretName: 'sandbox/argocd/github' };
    expect(problems(spec)).toEqual([
      "apps[0].imageUpdate.writeBack: 'argocd' keeps the running tag in the cluster only, where a promotion cannot read it; with several environments the Image Updater writes to Git ('git', the default)",
      'apps[0].secret.remoteKey: names one secret for every environment; with several environments leave it out: each environment reads <platform>/<environment>/<app>/<secret name>',
      'github.manifestRepository.credentials.secretName: names one secret for every environment; with several environments leave it out: each reads <platform>/<environment>/argocd/manifest-repository in its own account',
    ]);
    const cli = twoEnvironments();
    cli.apps[0].delivery = 'argocd-cli';
    delete cli.apps[0].imageUpdate;
    expect(problems(cli)).toEqual([
      "apps[0].delivery: 'argocd-cli' keeps the running tag in the cluster only, where a promotion cannot read it; with several environments use 'image-updater' (git write-back) or 'pull-request'",
    ]);
    const plugin = twoEnvironments();
    plugin.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com' } };
    expect(problems(plugin)).toContain(
      "secrets.backend: 'vault-plugin' supports one environment; with several use 'vault' (External Secrets' Vault provider), which reads each environment's own path",
    );
  });

  test('a problem of one environment names it, and one from an override is reported at the override', () => {
    const spec = twoEnvironments();
    // Production's host is the spec's: under staging's domain it would not be published in production's zone.
    spec.apps[0].host = 'sandbox.staging.example.com';
    spec.environments[0].apps[0].host = 'sandbox.other.com';
    spec.environments[0].cluster.nodes.minSize = 5;
    expect(problems(spec)).toEqual([
      'environments[0].cluster.nodes.minSize: 5 is larger than maxSize 2',
      "environments[0].apps[0].host: 'sandbox.other.com' is not under dns.domain 'staging.example.com'; ExternalDNS would not publish it",
    ]);
    // A certificate of staging's account cannot serve production's load balancer.
    const certificate = twoEnvironments();
    certificate.apps[0].ingress.certificateArn = 'arn:aws:acm:ap-northeast-1:111111111111:certificate/abc';
    delete certificate.environments[0].apps[0].host;
    certificate.environments[0].apps[0].replicas = 1;
    certificate.apps[0].host = 'sandbox.example.com';
    certificate.environments[0].dns = undefined;
    expect(problems(certificate)).toEqual([
      "apps[0].host: 'sandbox.example.com' is also the host of 'main' in environment 'staging'; each environment needs its own host (set environments[].apps[].host)",
      "apps[0].ingress.certificateArn: 'arn:aws:acm:ap-northeast-1:111111111111:certificate/abc' is in 111111111111/ap-northeast-1, but the load balancer is in 222222222222/ap-northeast-1; an ALB can only use an ACM certificate of its own account and region (in environment 'production')",
    ]);
  });

  test('registry without environments is refused', () => {
    expect(problems({ ...sandboxSpec(), registry: { environment: 'production' } })).toEqual([
      'registry: applies only to a platform with environments; remove it, or list the environments',
    ]);
  });
});
