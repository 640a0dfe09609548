// Resolution, the environments section: the names one environment gives everything else (its
// qualified name, secrets prefix, partition, and where its images live), which every other
// section's resolver reads.
import type { SpecWithDefaults } from '../defaults';
import type { EnvironmentContext } from '../environments';
import { ecrRegistry, partitionOf } from '../naming';
import type { ResolvedImage } from '../resolved';
import type { IdentityChoice, RoleFactory } from './roles';

/** The names of one environment, derived once from its spec and its place among the environments. */
export interface EnvironmentNames {
  /** The environment's name. */
  readonly environment: string;
  /** Whether the platform has several environments. */
  readonly several: boolean;
  /** `<platform>`, or `<platform>-<environment>` with several environments. */
  readonly qualifiedName: string;
  /** `<platform>`, or `<platform>/<environment>` with several environments. */
  readonly secretsPrefix: string;
  /** The environment's AWS account, region and partition. */
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** Where the images are built and pushed: the registry environment's account and region. */
  readonly images: { readonly account: string; readonly region: string; readonly partition: string; readonly registry: string };
  /** Whether releases arrive here (the environment is promoted from none). */
  readonly followsReleases: boolean;
  /** With a hub, only the hub runs Argo CD; without one, every environment does. */
  readonly runsArgoCd: boolean;
  /** The cluster's ARN, which the EKS managed Argo CD names it by. */
  readonly clusterArn: string;
  /** An Argo CD Application's name: `<name>`, or `<name>-<environment>` with several environments. */
  applicationName(name: string): string;
  /** The ARN pattern of a Secrets Manager secret of this environment, by its name or a prefix with wildcards. */
  secretArnPattern(prefixOrName: string): string;
  /** An image in the registry environment's ECR. */
  image(repositoryName: string, dockerfile: string): ResolvedImage;
}

/** What every section's resolver reads: the spec with its defaults, the environment's names, its roles. */
export interface SectionInput {
  /** The spec as the environment sees it, its defaults filled in (lib/model/defaults.ts). */
  readonly spec: SpecWithDefaults;
  readonly context: EnvironmentContext;
  readonly names: EnvironmentNames;
  readonly roles: RoleFactory;
  readonly identityOf: IdentityChoice;
}

/** The names of one environment of `spec` in `account`. */
export function resolveEnvironmentNames(spec: SpecWithDefaults, account: string, context: EnvironmentContext): EnvironmentNames {
  const region = spec.aws.region;
  const partition = partitionOf(region);
  const environment = context.name;
  const several = context.several;
  // Names that must differ between environments (physical names in an account, Argo CD names a hub
  // shares, DNS record owners in a zone two environments may share) carry the environment's name.
  const qualifiedName = several ? `${spec.name}-${environment}` : spec.name;
  // Images are built once, into the registry environment's account and region.
  const imagesAccount = context.registryAccount ?? account;
  const imagesRegion = context.registryRegion;
  const imagesPartition = partitionOf(imagesRegion);
  const registry = ecrRegistry(imagesAccount, imagesRegion);
  return {
    environment,
    several,
    qualifiedName,
    secretsPrefix: several ? `${spec.name}/${environment}` : spec.name,
    account,
    region,
    partition,
    images: { account: imagesAccount, region: imagesRegion, partition: imagesPartition, registry },
    followsReleases: context.promotedFrom === undefined,
    runsArgoCd: context.hub === undefined || context.hub === environment,
    clusterArn: `arn:${partition}:eks:${region}:${account}:cluster/${qualifiedName}`,
    applicationName: (name) => (several ? `${name}-${environment}` : name),
    secretArnPattern: (prefixOrName) => `arn:${partition}:secretsmanager:${region}:${account}:secret:${prefixOrName}`,
    image: (repositoryName, dockerfile) => ({
      repositoryName,
      repositoryArn: `arn:${imagesPartition}:ecr:${imagesRegion}:${imagesAccount}:repository/${repositoryName}`,
      imageUri: `${registry}/${repositoryName}`,
      dockerfile,
    }),
  };
}
