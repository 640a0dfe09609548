// The Argo CD mode, resolved once (lib/model/resolve/argocd.ts), and its strategy (lib/addons/argocd/):
// the stack and the manifest tree ask the strategy what the mode means on their side. The byte-for-byte
// output of each mode is held by test/output-hashes.test.ts; here, which strategy each platform gets
// and that each side follows it.
import { App } from 'cdk8s';
import { ARGOCD_STRATEGIES, argoCdStrategy } from '../../../lib/addons/argocd/strategies';
import { GitOpsPlatformStack } from '../../../lib/aws/gitops-platform-stack';
import { ArgoCdBootstrapChart } from '../../../lib/k8s/argocd/bootstrap-chart';
import { ManifestRepository } from '../../../lib/manifests/manifest-repository';
import { ArgoCdMode } from '../../../lib/model/argocd-mode';
import { IN_CLUSTER_SERVER } from '../../../lib/model/constants';
import type { ResolvedPlatform } from '../../../lib/model/resolved';
import { PlatformSpecLoader } from '../../../lib/platform/loader';
import { Platform } from '../../../lib/platform/platform';
import { cdkApp, repoPath, sandboxPlatform } from '../../fixtures';

const example = (name: string) => Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', name, 'platform.yaml')));
const selfManaged = sandboxPlatform();
const [managed] = example('managed-argocd');
const [hub, spoke] = example('hub-and-spokes');

describe('the mode: one value of a closed set, resolved once', () => {
  test('self-managed, managed, or a spoke of the hub, as the spec says', () => {
    expect([selfManaged, managed, hub, spoke].map((p) => p.argocd.mode)).toEqual([
      ArgoCdMode.SELF_MANAGED,
      ArgoCdMode.MANAGED,
      ArgoCdMode.MANAGED,
      ArgoCdMode.SPOKE,
    ]);
  });

  test('the destinations follow it: the in-cluster server for a self-managed Argo CD, the cluster ARN for the capability', () => {
    // EKS user guide, "Comparing EKS Capability for Argo CD to self-managed Argo CD": the capability names
    // clusters by ARN and does not support https://kubernetes.default.svc.
    expect(selfManaged.argocd.destinationServer).toBe(IN_CLUSTER_SERVER);
    expect(managed.argocd.destinationServer).toBe(managed.cluster.arn);
    expect([spoke.argocd.destinationServer, spoke.argocd.argocdServer]).toEqual([spoke.cluster.arn, hub.cluster.arn]);
  });

  test('every mode has exactly one strategy, of that mode', () => {
    expect(Object.keys(ARGOCD_STRATEGIES).sort()).toEqual(Object.values(ArgoCdMode).sort());
    for (const [mode, strategy] of Object.entries(ARGOCD_STRATEGIES)) expect(strategy.mode).toBe(mode);
    expect(argoCdStrategy(spoke)).toBe(ARGOCD_STRATEGIES[ArgoCdMode.SPOKE]);
  });
});

describe('the manifests side: the bootstrap and the tree write what the strategy says', () => {
  const bootstrapOf = (platform: ResolvedPlatform) => new ArgoCdBootstrapChart(new App(), 'bootstrap', { platform });
  const pathsOf = (platforms: ResolvedPlatform[]) => new Set(ManifestRepository.forEnvironments(platforms).manifestFiles().map((f) => f.path));

  test.each([
    ['self-managed', selfManaged],
    ['managed', managed],
    ['spoke', spoke],
  ])('%s: the cluster registration and the AppProject\'s sourceNamespaces', (_, platform) => {
    const strategy = argoCdStrategy(platform);
    const bootstrap = bootstrapOf(platform);
    expect(bootstrap.clusterSecret !== undefined).toBe(strategy.registersCluster);
    expect(bootstrap.project.apiObject.toJson().spec.sourceNamespaces).toEqual(strategy.sourceNamespaces(platform.argocd));
  });

  test('only a self-managed Argo CD\'s install is in the tree', () => {
    expect([selfManaged, managed, spoke].map((p) => argoCdStrategy(p).installInTree)).toEqual([true, false, false]);
    expect(pathsOf([selfManaged]).has('argocd/bootstrap/install/kustomization.yaml')).toBe(true);
    expect(pathsOf([managed]).has('argocd/bootstrap/install/kustomization.yaml')).toBe(false);
    expect(pathsOf([hub, spoke]).has('argocd/bootstrap/install/kustomization.yaml')).toBe(false);
  });
});

describe('the AWS side: the stack creates what the strategy does, and a platform that cannot have it is refused', () => {
  const stackOf = (platform: ResolvedPlatform) => () => new GitOpsPlatformStack(cdkApp(), 'Platform', { platform });

  test('a managed Argo CD without Identity Center (which validation requires) is refused by name', () => {
    const withoutIdentityCenter = { ...managed, argocd: { ...managed.argocd, identityCenter: undefined } };
    expect(stackOf(withoutIdentityCenter)).toThrow(
      'GitOpsPlatformStack: Platform uses the EKS managed Argo CD (argocd.managed: true), which needs argocd.identityCenter; give it',
    );
  });

  test('a spoke resolved without its hub is refused, naming Platform.resolveEnvironments', () => {
    const orphan = { ...spoke, argocd: { ...spoke.argocd, hub: undefined } };
    expect(stackOf(orphan)).toThrow(/Platform is managed by another environment's Argo CD \(argocd.hub\), but its platform names no hub/);
  });

  test('the self-managed stack has the Helm install and nothing of the capability', () => {
    const stack = stackOf(selfManaged)();
    expect([stack.argocd !== undefined, stack.managedArgocd, stack.hubAccess, stack.spokeBootstraps]).toEqual([true, undefined, undefined, {}]);
  });
});
