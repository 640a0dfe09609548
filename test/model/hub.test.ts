// `argocd.hub`: one Argo CD (the hub environment's EKS managed capability) for every environment's
// cluster. What the spec accepts, and what each environment resolves to.
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { ArgoCdMode } from '../../lib/model/argocd-mode';
import { validateSpec } from '../../lib/model/validate';
import { teardownSteps } from '../../lib/ops/teardown';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';

const hubExample = (): any => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'hub-and-spokes', 'platform.yaml'))));
const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
const IDENTITY_CENTER = { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' };

describe('argocd.hub: validation', () => {
  test('the example is valid', () => {
    expect(problems(hubExample())).toEqual([]);
  });

  test('refused without environments, or with one', () => {
    const single = sandboxSpec();
    single.argocd = { managed: true, identityCenter: IDENTITY_CENTER, hub: 'production' };
    single.apps[0].migration.deadlineSeconds = 90;
    expect(problems(single)).toEqual([
      "argocd.hub: 'production' names the environment whose Argo CD manages every environment's cluster, and this platform has no environments (one cluster, which runs its own Argo CD); remove it, or list several environments",
    ]);
    const one = hubExample();
    one.environments = one.environments.slice(0, 1);
    expect(problems(one)).toEqual([
      "argocd.hub: 'staging' names the environment whose Argo CD manages every environment's cluster, and this platform has one environment ('staging'), which runs its own Argo CD; remove it, or list several environments",
    ]);
  });

  test('must name an environment', () => {
    const spec = hubExample();
    spec.argocd.hub = 'tooling';
    expect(problems(spec)).toEqual(["argocd.hub: 'tooling' is not an environment; use one of staging, production"]);
  });

  test('requires the EKS managed Argo CD: a self-managed hub is refused, naming the field', () => {
    const spec = hubExample();
    spec.argocd = { hub: 'staging' };
    expect(problems(spec)).toEqual([
      "argocd.hub: 'staging': a hub requires argocd.managed: true for now. The EKS managed Argo CD reaches another cluster by its ARN, " +
        "through an access entry there for its role; a self-managed Argo CD would also need each cluster's endpoint and CA, which the " +
        'platform does not obtain yet. Set argocd.managed: true (with argocd.identityCenter), or remove argocd.hub',
    ]);
  });

  test('with an application delivered by the Image Updater, the hub is the first environment (where it runs)', () => {
    const spec = hubExample();
    spec.argocd.hub = 'production';
    expect(problems(spec)).toEqual([
      "argocd.hub: 'production' is not the first environment ('staging'), where releases arrive: the Image Updater runs there and " +
        "updates the Applications of the Argo CD beside it, and 'main' is delivered by it. Use 'staging' as the hub, list 'production' first, or deliver by 'pull-request'",
    ]);
    // Delivered by pull request, any environment may be the hub.
    spec.apps[0].delivery = 'pull-request';
    delete spec.apps[0].imageUpdate;
    expect(problems(spec)).toEqual([]);
  });

  test('a registry that is a spoke is refused while the hub\'s Image Updater verifies the registry\'s signing key (no deploy order would do)', () => {
    const spec = hubExample();
    spec.registry.environment = 'production';
    expect(problems(spec)).toEqual([
      "registry.environment: 'production' holds the images and the image signing key, and is managed by the hub 'staging', whose Image Updater " +
        "verifies 'main' with that key's public key: the hub's stack would wait for the registry's and the registry's for the hub's. " +
        "Use the hub 'staging' as registry.environment, or deliver them by 'pull-request'",
    ]);
    // An app that does not sign needs no key.
    spec.apps[0].supplyChain = { sign: false };
    expect(problems(spec)).toEqual([]);
  });
});

describe('argocd.hub: resolution', () => {
  const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(hubExample()));

  test('every environment knows the hub: its cluster, and its capability role by a fixed name', () => {
    for (const platform of [staging, production]) {
      expect(platform.argocd.hub).toEqual({
        environment: 'staging',
        account: '111111111111',
        region: 'ap-northeast-1',
        clusterName: 'shop-staging',
        clusterArn: 'arn:aws:eks:ap-northeast-1:111111111111:cluster/shop-staging',
        role: { roleName: 'shop-staging-argocd', roleArn: 'arn:aws:iam::111111111111:role/shop-staging-argocd' },
        spokes: [
          {
            environment: 'production',
            account: '222222222222',
            region: 'ap-northeast-1',
            clusterName: 'shop-production',
            clusterArn: 'arn:aws:eks:ap-northeast-1:222222222222:cluster/shop-production',
            namespaces: ['main'],
          },
        ],
      });
      // Argo CD's objects (root apps, child Applications) are on the hub's cluster.
      expect(platform.argocd.argocdServer).toBe('arn:aws:eks:ap-northeast-1:111111111111:cluster/shop-staging');
    }
    expect([staging.argocd.mode, production.argocd.mode]).toEqual([ArgoCdMode.MANAGED, ArgoCdMode.SPOKE]);
    // Each environment's workloads are on its own cluster.
    expect(production.argocd.destinationServer).toBe('arn:aws:eks:ap-northeast-1:222222222222:cluster/shop-production');
  });

  test('only the hub reads the manifest repository with credentials: the spoke has none, and no reader role', () => {
    expect(staging.manifestRepository.credentials?.secretName).toBe('shop/staging/argocd/manifest-repository');
    expect(production.manifestRepository.credentials).toBeUndefined();
    expect(production.manifestRepository.argocdUrl).toBe(staging.manifestRepository.argocdUrl);
    expect(production.workloadRoles.map((r) => r.purpose)).toEqual([]);
    // External Secrets still runs on the spoke: its applications' secrets.
    expect(production.externalSecrets).toMatchObject({ installed: true, appSecrets: true });
  });

  test('without argocd.hub every cluster runs its own Argo CD', () => {
    const spec = hubExample();
    delete spec.argocd.hub;
    const [s, p] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect([s.argocd.hub, p.argocd.hub]).toEqual([undefined, undefined]);
    expect([s.argocd.mode, p.argocd.mode]).toEqual([ArgoCdMode.MANAGED, ArgoCdMode.MANAGED]);
    expect(p.argocd.argocdServer).toBe(p.argocd.destinationServer);
    expect(p.manifestRepository.credentials?.secretName).toBe('shop/production/argocd/manifest-repository');
  });
});

describe('argocd.hub: the teardown', () => {
  test('refuses a platform with a hub, naming the two clusters the order runs in', () => {
    const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(hubExample()));
    expect(() => teardownSteps(production)).toThrow(
      "teardown: environment 'production' is managed by the Argo CD of 'staging' (argocd.hub), and the teardown runs every step in one cluster; " +
        'with a hub, take an environment down by hand in the same order (see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/aws.md#one-argo-cd-for-every-environment-argocdhub): ' +
        "its root Application and its child Applications' automated sync in shop-staging, its Ingresses and DNS records in shop-production, then its child Applications in shop-staging",
    );
    expect(() => teardownSteps(staging)).toThrow(/environment 'staging' is managed by the Argo CD of 'staging'/);
  });
});
