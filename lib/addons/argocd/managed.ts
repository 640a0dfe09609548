import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IDependable } from 'constructs';
import type { ArgoCdAwsContext, ArgoCdStrategy } from './strategy';
import { ownBootstrap } from './strategy';
import { ManagedArgoCd } from '../../aws/managed-argocd';
import { ArgoCdMode } from '../../model/argocd-mode';
import type { ResolvedArgoCd } from '../../model/resolved';

/**
 * The manifests side of every mode the EKS managed Argo CD runs (this cluster's, or a hub's): its
 * Applications and AppProjects live in its one namespace, which the AppProject must list in
 * `sourceNamespaces` ("Working with Argo CD Projects": the field is required with the capability);
 * it does not register the cluster it is attached to, and names clusters by ARN, so the bootstrap
 * does; AWS installs and configures it, so the tree carries no install.
 */
export const CAPABILITY_MANIFESTS: Pick<ArgoCdStrategy, 'sourceNamespaces' | 'registersCluster' | 'installInTree'> = {
  sourceNamespaces: (argocd: ResolvedArgoCd) => [argocd.namespace],
  registersCluster: true,
  installInTree: false,
};

/**
 * The EKS managed Argo CD on this environment's cluster (`argocd.managed: true`): the capability,
 * its role and its access to the namespaces the platform deploys to, then the bootstrap once the
 * add-ons it relies on are installed. On a hub (`argocd.hub`), it also applies every spoke's
 * bootstrap to its own cluster, after its own (which holds the repository credentials every root
 * app reads with).
 */
export const MANAGED_ARGOCD: ArgoCdStrategy = {
  mode: ArgoCdMode.MANAGED,

  aws(context) {
    const { scope, platform, cluster, bootstrapAfter, bootstrap } = context;
    const { argocd } = platform;
    const identityCenter = argocd.identityCenter;
    if (!identityCenter) {
      throw new Error(`GitOpsPlatformStack: ${scope.node.id} uses the EKS managed Argo CD (argocd.managed: true), which needs argocd.identityCenter; give it`);
    }
    const hub = argocd.hub;
    const managedArgocd = new ManagedArgoCd(scope, 'ManagedArgoCd', {
      cluster,
      capabilityName: `${platform.qualifiedName}-argocd`,
      roleName: hub?.role.roleName,
      namespace: argocd.namespace,
      identityCenterInstanceArn: identityCenter.instanceArn,
      identityCenterRegion: identityCenter.region,
      adminGroupIds: identityCenter.adminGroupIds,
      deployNamespaces: platform.apps.map((app) => app.namespace),
      bootstrap,
    });
    for (const dependency of bootstrapAfter) managedArgocd.bootstrap?.node.addDependency(dependency);
    if (!hub) return { managedArgocd };
    return { managedArgocd, spokeBootstraps: applySpokeBootstraps(context, hub.spokes.map((s) => s.environment), managedArgocd.bootstrap) };
  },

  ...CAPABILITY_MANIFESTS,
  describeBootstrap: (platform) => ownBootstrap(platform, CAPABILITY_MANIFESTS.registersCluster),
};

/** The hub applies every spoke's bootstrap to its own cluster, after its own. */
function applySpokeBootstraps(
  { scope, cluster, spokes, bootstrapOf }: ArgoCdAwsContext,
  expected: string[],
  after: IDependable | undefined,
): { [environment: string]: eks.KubernetesManifest } {
  const given = spokes.map((spoke) => spoke.environment);
  if (given.length !== expected.length || !expected.every((name) => given.includes(name))) {
    throw new Error(
      `GitOpsPlatformStack: ${scope.node.id} is the hub (argocd.hub) of ${expected.join(', ')}, and spokes ` +
        `${given.length ? `gives ${given.join(', ')}` : 'is empty'}; pass every other environment Platform.resolveEnvironments returns ` +
        '(GitOpsPlatform and PlatformCdkApp.addEnvironments do)',
    );
  }
  const applied: { [environment: string]: eks.KubernetesManifest } = {};
  for (const name of expected) {
    const spoke = spokes.find((s) => s.environment === name)!;
    const manifest = cluster.addCdk8sChart(`ArgoCdBootstrap-${name}`, bootstrapOf(spoke));
    if (after) manifest.node.addDependency(after);
    applied[name] = manifest;
  }
  return applied;
}
