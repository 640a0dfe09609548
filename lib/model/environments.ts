import type { AppEnvironmentSpec, AppSpec, ClusterSpec, EnvironmentSpec, PlatformSpec } from './types';

/** The environment a spec without `environments` describes. */
export const DEFAULT_ENVIRONMENT = 'production';

/**
 * Where one environment stands among the others: what makes its names, its images and its tags
 * different from the rest. The resolver reads it beside the environment's own spec.
 */
export interface EnvironmentContext {
  /** The environment's name. */
  readonly name: string;
  /** Every environment's name, in the spec's order (the first follows releases). */
  readonly names: string[];
  /** Whether the spec lists several environments: names then carry the environment's. */
  readonly several: boolean;
  /** The environment whose tags are promoted here, if it does not follow releases. */
  readonly promotedFrom?: string;
  /** The environment whose account and region hold the images and the CI roles. */
  readonly registryEnvironment: string;
  /** That environment's account, if the spec names it (else this environment's). */
  readonly registryAccount?: string;
  /** That environment's region. */
  readonly registryRegion: string;
  /** The environment whose Argo CD manages every environment's cluster (`argocd.hub`), if any. */
  readonly hub?: string;
}

/** One environment: its context, and the spec as it applies there (top-level values with its overrides). */
export interface EnvironmentView {
  /** Where it stands among the others. */
  readonly context: EnvironmentContext;
  /** The spec as this environment sees it, with `environment` set to its name and no `environments`. */
  readonly spec: PlatformSpec;
  /** Its index in `environments`, or undefined for a spec of one environment. */
  readonly index?: number;
}

/**
 * The environments of a spec, each as its own single-environment spec: the top-level `aws`,
 * `cluster`, `dns` and application fields, with what the environment says differently. A spec
 * without `environments` is one environment, named `environment` (default `production`), unchanged.
 */
export function environmentViews(spec: PlatformSpec): EnvironmentView[] {
  const listed = spec.environments;
  if (!listed || listed.length === 0) {
    const name = spec.environment ?? DEFAULT_ENVIRONMENT;
    const context: EnvironmentContext = {
      name,
      names: [name],
      several: false,
      registryEnvironment: name,
      registryAccount: spec.aws.account,
      registryRegion: spec.aws.region,
    };
    return [{ context, spec }];
  }
  const names = listed.map((e) => e.name);
  const registryEnvironment = spec.registry?.environment ?? names[0];
  const registry = listed.find((e) => e.name === registryEnvironment) ?? listed[0];
  return listed.map((environment, index) => ({
    index,
    context: {
      name: environment.name,
      names,
      several: listed.length > 1,
      promotedFrom: index === 0 ? undefined : environment.promoteFrom ?? names[index - 1],
      registryEnvironment: registry.name,
      registryAccount: registry.aws?.account ?? spec.aws.account,
      registryRegion: registry.aws?.region ?? spec.aws.region,
      hub: spec.argocd?.hub,
    },
    spec: environmentSpec(spec, environment),
  }));
}

/** The spec as one environment sees it. */
function environmentSpec(spec: PlatformSpec, environment: EnvironmentSpec): PlatformSpec {
  const { environments: _environments, registry: _registry, ...rest } = spec;
  return {
    ...rest,
    environment: environment.name,
    aws: { region: environment.aws?.region ?? spec.aws.region, account: environment.aws?.account ?? spec.aws.account },
    cluster: mergeCluster(spec.cluster, environment.cluster),
    dns: environment.dns ?? spec.dns,
    apps: spec.apps.map((app) => (app === undefined ? app : appInEnvironment(app, environment.apps?.find((a) => a?.name === app.name)))),
  };
}

function mergeCluster(base: ClusterSpec | undefined, override: ClusterSpec | undefined): ClusterSpec | undefined {
  if (!override) return base;
  const nodes = base?.nodes || override.nodes ? { ...base?.nodes, ...defined(override.nodes ?? {}) } : undefined;
  // Controllers merge workload by workload, like the node group's fields.
  const controllers = base?.controllers || override.controllers ? { ...base?.controllers, ...defined(override.controllers ?? {}) } : undefined;
  return { ...base, ...defined(override), ...(nodes ? { nodes } : {}), ...(controllers ? { controllers } : {}) };
}

/** An application as one environment runs it. */
function appInEnvironment(app: AppSpec, override: AppEnvironmentSpec | undefined): AppSpec {
  if (!override) return app;
  const resourcesOf = (name: string) => override.containers?.find((c) => c?.name === name)?.resources;
  return {
    ...app,
    host: override.host ?? app.host,
    replicas: override.replicas ?? app.replicas,
    // A certificate belongs to a host: another host here needs its own (or discovery by host name).
    ingress:
      override.certificateArn !== undefined || override.host !== undefined
        ? { ...app.ingress, certificateArn: override.certificateArn }
        : app.ingress,
    containers: app.containers.map((c) => {
      const resources = c === undefined ? undefined : resourcesOf(c.name);
      return resources ? { ...c, resources: { ...c.resources, ...defined(resources) } } : c;
    }),
    imageUpdate: override.imageUpdate ? { ...app.imageUpdate, ...defined(override.imageUpdate) } : app.imageUpdate,
    migration: app.migration && override.migrationPermissions ? { ...app.migration, permissions: override.migrationPermissions } : app.migration,
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
