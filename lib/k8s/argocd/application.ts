import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';

/** A config management plugin and the environment it receives (as `ARGOCD_ENV_<name>`). */
export interface ApplicationPlugin {
  /** Plugin name, e.g. `avp-kustomize`. */
  readonly name: string;

  /**
   * Environment variables, without the `ARGOCD_ENV_` prefix Argo CD adds.
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/** What an Application deploys. Give `path` for a Git directory, or `chart` for a Helm repository. */
export interface ApplicationSource {
  /** Git repository URL, or Helm repository URL with `chart`. */
  readonly repoUrl: string;

  /** Branch, tag or commit; chart version with `chart`. */
  readonly targetRevision: string;

  /**
   * Directory in the Git repository.
   * @default - none (a Helm chart)
   */
  readonly path?: string;

  /**
   * Helm chart name.
   * @default - none (a Git directory)
   */
  readonly chart?: string;

  /**
   * Helm values.
   * @default - the chart's defaults
   */
  readonly helmValues?: { [key: string]: any };

  /**
   * Config management plugin that renders the directory.
   * @default - Argo CD detects Kustomize, Helm or plain YAML
   */
  readonly plugin?: ApplicationPlugin;
}

/** How an Application syncs. */
export interface ApplicationSyncPolicy {
  /**
   * Sync automatically.
   * @default true
   */
  readonly automated?: boolean;

  /**
   * Delete resources removed from the source (automated only).
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Revert changes made in the cluster (automated only).
   * @default true
   */
  readonly selfHeal?: boolean;

  /**
   * Sync options such as `CreateNamespace=true`.
   * @default - none
   */
  readonly syncOptions?: string[];

  /**
   * How a failed sync is retried.
   * @default - 5 retries, 10 s apart at first, doubling up to 3 minutes (`DEFAULT_SYNC_RETRY`)
   */
  readonly retry?: SyncRetry;
}

/** How a failed sync is retried (`spec.syncPolicy.retry`). */
export interface SyncRetry {
  /**
   * Retries after the first failure; `-1` for no limit.
   * @default 5
   */
  readonly limit?: number;

  /**
   * First wait, as an Argo CD duration such as `10s`.
   * @default '10s'
   */
  readonly backoffDuration?: string;

  /**
   * Factor each wait is multiplied by.
   * @default 2
   */
  readonly backoffFactor?: number;

  /**
   * Longest wait.
   * @default '3m'
   */
  readonly backoffMaxDuration?: string;
}

/**
 * The retry every Application of the platform uses: a sync that fails on something that settles by
 * itself (a CRD or webhook not ready yet, a migration's transient database error) is tried again
 * about 10 s, 20 s, 40 s, 80 s and 160 s later, instead of waiting for the next change.
 */
export const DEFAULT_SYNC_RETRY = { limit: 5, backoffDuration: '10s', backoffFactor: 2, backoffMaxDuration: '3m' } as const;

/** Fields Argo CD ignores when it compares live and desired state. */
export interface IgnoreDifference {
  /** API group of the resources. */
  readonly group: string;
  /** Kind of the resources. */
  readonly kind: string;
  /** JSON pointers to ignore, e.g. `/spec/source/kustomize/images`. */
  readonly jsonPointers: string[];
}

/** Properties of an `ArgoApplication`. */
export interface ArgoApplicationProps {
  /** Application name. */
  readonly name: string;

  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /** AppProject the Application belongs to. */
  readonly project: string;

  /** What it deploys. */
  readonly source: ApplicationSource;

  /** Namespace it deploys to. */
  readonly destinationNamespace: string;

  /**
   * API server of the destination cluster.
   * @default 'https://kubernetes.default.svc'
   */
  readonly destinationServer?: string;

  /**
   * How it syncs.
   * @default - automated with prune and self-heal
   */
  readonly syncPolicy?: ApplicationSyncPolicy;

  /**
   * Sync wave within the parent app-of-apps: lower waves sync (and become healthy) first.
   * @default - no wave (0)
   */
  readonly syncWave?: number;

  /**
   * Delete the deployed resources when the Application is deleted (the resources finalizer).
   * @default true
   */
  readonly cascadeDelete?: boolean;

  /**
   * Differences to ignore.
   * @default - none
   */
  readonly ignoreDifferences?: IgnoreDifference[];

  /**
   * Labels.
   * @default - `app.kubernetes.io/name: <name>`
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations besides the sync wave's (Argo CD Notifications subscriptions, say).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** An Argo CD Application (`argoproj.io/v1alpha1`). */
export class ArgoApplication extends Construct {
  /** The Application object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    const { source } = props;
    if ((source.path === undefined) === (source.chart === undefined)) {
      throw new Error(`ArgoApplication ${props.name}: give exactly one of source.path (a Git directory) and source.chart (a Helm chart)`);
    }
    if (source.helmValues && !source.chart) {
      throw new Error(`ArgoApplication ${props.name}: source.helmValues needs source.chart`);
    }
    const policy = props.syncPolicy ?? {};
    const automated = policy.automated ?? true;
    if (!automated && (policy.prune || policy.selfHeal)) {
      throw new Error(`ArgoApplication ${props.name}: syncPolicy.prune and selfHeal need automated: true`);
    }
    const given = { ...(props.syncWave === undefined ? {} : { [ARGOCD.syncWave]: String(props.syncWave) }), ...props.annotations };
    const annotations = Object.keys(given).length ? given : undefined;

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD.apiVersion,
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace ?? 'argocd',
        labels: props.labels ?? { 'app.kubernetes.io/name': props.name },
        annotations,
        finalizers: props.cascadeDelete ?? true ? [ARGOCD.resourcesFinalizer] : undefined,
      },
      spec: {
        project: props.project,
        source: {
          repoURL: source.repoUrl,
          targetRevision: source.targetRevision,
          path: source.path,
          chart: source.chart,
          helm: source.helmValues ? { valuesObject: source.helmValues } : undefined,
          plugin: source.plugin ? { name: source.plugin.name, env: pluginEnv(source.plugin.env) } : undefined,
        },
        destination: { server: props.destinationServer ?? ARGOCD.inClusterServer, namespace: props.destinationNamespace },
        syncPolicy: {
          automated: automated ? { prune: policy.prune ?? true, selfHeal: policy.selfHeal ?? true } : undefined,
          syncOptions: policy.syncOptions?.length ? [...policy.syncOptions] : undefined,
          retry: syncRetry(policy.retry),
        },
        ignoreDifferences: props.ignoreDifferences?.map((d) => ({ group: d.group, kind: d.kind, jsonPointers: [...d.jsonPointers] })),
      },
    });
  }
}

function syncRetry(retry: SyncRetry = {}) {
  const limit = retry.limit ?? DEFAULT_SYNC_RETRY.limit;
  if (!Number.isInteger(limit) || limit < -1) throw new Error(`ArgoApplication: syncPolicy.retry.limit ${limit} must be a whole number of at least -1`);
  return {
    limit,
    backoff: {
      duration: retry.backoffDuration ?? DEFAULT_SYNC_RETRY.backoffDuration,
      factor: retry.backoffFactor ?? DEFAULT_SYNC_RETRY.backoffFactor,
      maxDuration: retry.backoffMaxDuration ?? DEFAULT_SYNC_RETRY.backoffMaxDuration,
    },
  };
}

function pluginEnv(env: { [name: string]: string } | undefined) {
  if (!env) return undefined;
  return Object.keys(env)
    .sort()
    .map((name) => ({ name, value: env[name] }));
}
