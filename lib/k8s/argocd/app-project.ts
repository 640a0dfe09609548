import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';

/** Where an AppProject's Applications may deploy. */
export interface AppProjectDestination {
  /** Namespace (no wildcards). */
  readonly namespace: string;

  /**
   * API server URL of the cluster.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly server?: string;
}

/** A Kubernetes API group and kind. */
export interface GroupKind {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /**
   * Only the objects of this name, a glob (`clusterResourceWhitelist[].name`: "Glob patterns using
   * Go's filepath.Match syntax are supported", Argo CD v3.4.4 AppProject CRD).
   * @default - every object of the kind
   */
  readonly name?: string;
}

/** Properties of an `ArgoAppProject`. */
export interface ArgoAppProjectProps {
  /** Project name. */
  readonly name: string;

  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Description shown in the Argo CD UI.
   * @default - none
   */
  readonly description?: string;

  /** Repositories (Git URLs, Helm repository URLs) Applications may use. No wildcards. */
  readonly sourceRepos: string[];

  /** Namespaces Applications may deploy to. No wildcards. */
  readonly destinations: AppProjectDestination[];

  /**
   * Namespace prefixes Applications may deploy to, as globs `<prefix>*` (Argo CD matches a
   * destination's namespace as a glob): the preview namespaces `<app>-pr-*`, whose numbers are not
   * known in advance. The prefix itself has no wildcard.
   * @default - none
   */
  readonly namespacePatterns?: AppProjectDestination[];

  /**
   * Cluster-scoped kinds Applications may manage.
   * @default - none
   */
  readonly clusterResourceWhitelist?: GroupKind[];

  /**
   * Namespaces whose Applications may use the project (`spec.sourceNamespaces`). Upstream Argo CD
   * always allows its own namespace; the EKS managed Argo CD requires the list ("Working with Argo
   * CD Projects": "the `spec.sourceNamespaces` field is **required** in your custom AppProject").
   * @default - none: only Argo CD's own namespace, on a self-managed Argo CD
   */
  readonly sourceNamespaces?: string[];
}

/**
 * An Argo CD AppProject that names its repositories and destinations instead of allowing `*`, so an
 * Application pointed elsewhere by mistake (or by an attacker with write access to one repository) is
 * refused by Argo CD.
 */
export class ArgoAppProject extends Construct {
  /** The AppProject object. */
  public readonly apiObject: ApiObject;

  /** The project name, for Applications' `spec.project`. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoAppProjectProps) {
    super(scope, id);
    for (const repo of props.sourceRepos) {
      if (repo.includes('*')) {
        throw new Error(`ArgoAppProject ${props.name}: sourceRepos entry '${repo}' has a wildcard; list each repository URL`);
      }
    }
    for (const destination of props.destinations) {
      if (destination.namespace.includes('*') || destination.server?.includes('*')) {
        throw new Error(
          `ArgoAppProject ${props.name}: destination '${destination.server ?? ARGOCD.inClusterServer}/${destination.namespace}' has a wildcard; list each namespace`,
        );
      }
    }
    for (const pattern of props.namespacePatterns ?? []) {
      if (!/^[a-z0-9]([-a-z0-9]*[-a-z0-9])?\*$/.test(pattern.namespace)) {
        throw new Error(`ArgoAppProject ${props.name}: namespace pattern '${pattern.namespace}' must be a namespace prefix followed by one '*'`);
      }
    }
    this.name = props.name;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD.apiVersion,
      kind: 'AppProject',
      metadata: { name: props.name, namespace: props.namespace ?? 'argocd' },
      spec: {
        description: props.description,
        sourceRepos: [...props.sourceRepos],
        sourceNamespaces: props.sourceNamespaces && [...props.sourceNamespaces],
        destinations: [...props.destinations, ...(props.namespacePatterns ?? [])].map((d) => ({
          server: d.server ?? ARGOCD.inClusterServer,
          namespace: d.namespace,
        })),
        clusterResourceWhitelist: (props.clusterResourceWhitelist ?? []).map((gk) => ({
          group: gk.group,
          kind: gk.kind,
          ...(gk.name !== undefined ? { name: gk.name } : {}),
        })),
      },
    });
  }
}
