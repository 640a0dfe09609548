import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EXTERNAL_DNS_RULES, externalDnsPodTemplate, externalDnsZoneArgs } from './external-dns-chart';
import { appLabels, selectorLabels } from '../../k8s/labels';
import type { ResolvedApp, ResolvedPlatform } from '../../model/resolved';

/** Properties of a `PreviewExternalDnsChart`. */
export interface PreviewExternalDnsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application; it must have previews. */
  readonly app: ResolvedApp;
}

const COMPONENT = 'preview-external-dns';

/** The label every preview Ingress carries, whose value is the app: the preview ExternalDNS reads only these. */
export const PREVIEW_INGRESS_LABEL = 'cdk-eks-gitops.io/preview-of';

/**
 * ExternalDNS for an app's previews, in `<app>-previews`: the app's own instance watches only the
 * app's namespace (`--namespace`), and a preview's Ingress is in `<app>-pr-<number>`. This one
 * watches every namespace but reads only Ingresses labelled `cdk-eks-gitops.io/preview-of: <app>`
 * (`--label-filter`), in the platform's zone only, and owns its records through its own TXT owner id,
 * so it never changes the app's records nor the app's instance its. With `--policy=sync` ExternalDNS
 * deletes the records it owns whose source is gone (ExternalDNS plan/policy.go: `sync` "allows for full
 * synchronization of DNS records", `upsert-only` "allows everything but deleting"): a preview's records
 * go with its Ingress.
 */
export class PreviewExternalDnsChart extends Chart {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ServiceAccount bound to the role. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The ClusterRole: Ingresses of every namespace. */
  public readonly clusterRole: k8s.KubeClusterRole;
  /** Its binding. */
  public readonly clusterRoleBinding: k8s.KubeClusterRoleBinding;

  constructor(scope: Construct, id: string, props: PreviewExternalDnsChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const previews = app.previews;
    if (!previews) throw new Error(`PreviewExternalDnsChart: app '${app.name}' has no previews`);
    const role = previews.externalDns;
    const labels = appLabels(platform, app, COMPONENT);
    // Its ServiceAccount's name: the platform's AppProject admits the ClusterRole and binding of that name only.
    const name = role.serviceAccountName;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: role.serviceAccountName, namespace: role.namespace, labels, annotations: role.serviceAccountAnnotations },
    });
    this.clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name, labels }, rules: EXTERNAL_DNS_RULES });
    this.clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: role.serviceAccountName, namespace: role.namespace }],
    });
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace: role.namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(app, COMPONENT) },
        template: externalDnsPodTemplate(platform, labels, role.serviceAccountName, previewExternalDnsArgs(platform, app)),
      },
    });
  }
}

/** The command line of an app's preview ExternalDNS: every namespace, preview Ingresses only. */
export function previewExternalDnsArgs(platform: ResolvedPlatform, app: ResolvedApp): string[] {
  return [
    '--source=ingress',
    `--label-filter=${PREVIEW_INGRESS_LABEL}=${app.name}`,
    ...externalDnsZoneArgs(platform, app.previews!.externalDnsOwnerId),
  ];
}
