import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { App } from 'cdk8s';
import type { Construct, IDependable } from 'constructs';
import type {
  ResolvedApp,
  ResolvedChildApplication,
  ResolvedGroupKind,
  ResolvedPermission,
  ResolvedPlatform,
  ResolvedWildcard,
  ResolvedWorkloadRole,
} from '../model/resolved';
import type { Shape } from '../model/shape';
import type { PlatformSpec } from '../model/types';

/**
 * A part of the platform that is not the application itself: ExternalDNS, External Secrets, the Image
 * Updater, the vault plugin, the load balancer controller. An add-on says, in one place, everything
 * it brings to both sides: its spec section (`addons.<specKey>`), its roles and their permissions,
 * its Argo CD Applications and what the AppProject must allow them, its files in the manifest
 * repository, its other AWS resources, and its rules. The resolver, the charts, the stacks and the
 * validation read add-ons only through this interface (see docs/library.md, "Writing an add-on").
 */
export interface PlatformAddon {
  /** Name, in messages: `external-dns`. */
  readonly name: string;

  /** Key of its spec section, `addons.<specKey>`: `externalDns`. */
  readonly specKey: string;

  /** One line for the JSON schema. */
  readonly description: string;

  /** Fields of its spec section besides `workloadIdentity`, each checked on its own by the loader. */
  readonly settings?: Shape;

  /**
   * Why its roles cannot use EKS Pod Identity, if they cannot: they then keep IRSA, and asking for
   * Pod Identity in its section is refused with this reason.
   */
  readonly podIdentityUnsupported?: string;

  /** Whether the platform runs it. */
  enabled(context: AddonContext): boolean;

  /** What it adds to the resolved platform. */
  resolve(context: AddonContext): AddonResolution;

  /** Rules across fields it adds, run on the resolved platform. */
  validate?(context: AddonValidationContext): void;

  /** Its files in the manifest repository. */
  manifests?(context: AddonManifestContext): void;

  /** Its AWS resources besides its roles (Helm releases, controllers), in the platform stack. */
  aws?(context: AddonAwsContext): void;

  /** Helm values it adds to the stack's Argo CD install (not to the EKS managed Argo CD). */
  argoCdValues?(platform: ResolvedPlatform): { [key: string]: any };
}

/** What a role request names; the resolver derives the role's name, ARN, identity and annotations. */
export interface RoleRequest {
  /** Purpose: the role is named `<platform>[-<app>]-<purpose>`. */
  readonly purpose: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** The application the role belongs to, if any (it is then created in the app's stack). */
  readonly app?: ResolvedApp;
  /** Permissions. */
  readonly permissions: ResolvedPermission[];
  /** Wildcard resources of `permissions`, with the reason each is accepted. */
  readonly acceptedWildcards?: ResolvedWildcard[];
}

/** What an add-on is given to resolve itself. */
export interface AddonContext {
  /** The spec, validated. */
  readonly spec: PlatformSpec;
  /** Its spec section (`addons.<specKey>`), or `{}`. */
  readonly settings: { [key: string]: any };
  /** The platform as resolved without the add-ons' contributions. */
  readonly platform: ResolvedPlatform;
  /** A role for a ServiceAccount of the add-on, named and bound the way every platform role is. */
  role(request: RoleRequest): ResolvedWorkloadRole;
}

/** What an add-on adds to the resolved platform. */
export interface AddonResolution {
  /** Platform-wide roles (created in the platform stack). */
  readonly roles?: ResolvedWorkloadRole[];
  /** Roles of applications (created in each app's stack), by application name. */
  readonly appRoles?: { [app: string]: ResolvedWorkloadRole[] };
  /** Its child Applications of the root app-of-apps. */
  readonly applications?: ResolvedChildApplication[];
  /** Repositories its Applications read (a Helm repository, say). */
  readonly sourceRepos?: string[];
  /** Namespaces its Applications deploy to. */
  readonly namespaces?: string[];
  /** Cluster-scoped kinds its Applications create. */
  readonly clusterResources?: ResolvedGroupKind[];
  /** Application names no app may take. */
  readonly reservedApplicationNames?: string[];
  /** Namespaces no app may take. */
  readonly reservedNamespaces?: string[];
}

/** What an add-on is given to check the rules across fields it adds. */
export interface AddonValidationContext {
  /** The spec. */
  readonly spec: PlatformSpec;
  /** Its spec section (`addons.<specKey>`), or `{}`. */
  readonly settings: { [key: string]: any };
  /** The platform, resolved with every add-on. */
  readonly platform: ResolvedPlatform;
  /** Reports a problem at a spec path, e.g. `addons.<specKey>.<field>`. */
  add(path: string, message: string): void;
}

/**
 * What an add-on is given to write one environment's files into the manifest repository. One
 * repository holds every environment of the platform, and `manifests` runs once per environment: a
 * path an add-on writes is either the environment's own (`addFile`, `addKustomization`,
 * `addAppOverlayFile`: under a directory named after `platform.environment`, such as
 * `app.paths.overlay`, or two environments would write the same path and the tree is refused), or
 * shared by every environment (`addAppBaseFile`, `addInstallFile`: each environment must then write
 * exactly the same content, so nothing environment-specific belongs there).
 */
export interface AddonManifestContext {
  /** The resolved platform: the environment being written. */
  readonly platform: ResolvedPlatform;
  /** The cdk8s App its charts belong to. */
  readonly app: App;
  /** Adds a YAML file of objects at a path of the repository that belongs to this environment. */
  addFile(path: string, objects: unknown[]): void;
  /** Adds a kustomization.yaml in a directory that belongs to this environment. */
  addKustomization(dir: string, kustomization: { [key: string]: unknown }): void;
  /**
   * Adds a file of objects to an application's base, listed in its kustomization: shared by every
   * environment, so it must hold nothing environment-specific (no role ARN, host, account, region,
   * domain).
   */
  addAppBaseFile(app: ResolvedApp, file: string, objects: unknown[]): void;
  /**
   * Adds a file of objects to an application's overlay for this environment, listed in the overlay's
   * kustomization beside the base: where objects that name the environment's roles, hosts, zone or
   * region belong.
   */
  addAppOverlayFile(app: ResolvedApp, file: string, objects: unknown[]): void;
  /**
   * Adds a file to `argocd/bootstrap/install/`, as a resource or as a patch of the upstream install:
   * shared by every environment.
   */
  addInstallFile(file: string, objects: unknown[], kind: 'resource' | 'patch'): void;
}

/** What an add-on is given to create its AWS resources. */
export interface AddonAwsContext {
  /** The platform stack. */
  readonly scope: Construct;
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** The node group: what runs pods must wait for it. */
  readonly nodes: IDependable;
  /** Makes the Argo CD bootstrap (what starts syncing) wait for this. */
  bootstrapAfter(dependency: IDependable): void;
}
