import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { appLabels, selectorLabels } from '../../k8s/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../k8s/pod-security';
import type { ResolvedApp, ResolvedPlatform } from '../../model/resolved';
import { UPSTREAM_URLS } from '../../versions';

/** Properties of an `ExternalDnsChart`. */
export interface ExternalDnsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application whose Ingress hosts it publishes. */
  readonly app: ResolvedApp;
}

const COMPONENT = 'external-dns';

/** The rules of ExternalDNS's reference RBAC: endpointslices replaced endpoints in 0.18. */
export const EXTERNAL_DNS_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'watch', 'list'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list'] },
];

/**
 * ExternalDNS for one application: publishes the hosts of the Ingresses in the application's
 * namespace as records in the platform's hosted zone (and only there: `--zone-id-filter` matches the
 * zone its IAM role may change). Each application's instance owns its records through its own TXT
 * owner id, so instances of several applications never delete each other's records.
 */
export class ExternalDnsChart extends Chart {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ServiceAccount bound to the IRSA role. */
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: ExternalDnsChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const binding = app.externalDns;
    const labels = appLabels(platform, app, COMPONENT);
    const selector = selectorLabels(app, COMPONENT);
    const name = `${app.name}-external-dns`;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: binding.serviceAccountName, namespace: binding.namespace, labels, annotations: binding.serviceAccountAnnotations },
    });

    const clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name, labels }, rules: EXTERNAL_DNS_RULES });

    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: binding.serviceAccountName, namespace: binding.namespace }],
    });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace: app.namespace, labels },
      spec: {
        replicas: 1,
        // Two instances would race on the same records.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: externalDnsPodTemplate(platform, labels, binding.serviceAccountName, externalDnsArgs(platform, app)),
      },
    });
  }
}

/** The ExternalDNS command line for one application. */
export function externalDnsArgs(platform: ResolvedPlatform, app: ResolvedApp): string[] {
  return [
    '--source=ingress',
    '--source=service',
    `--namespace=${app.namespace}`,
    ...externalDnsZoneArgs(platform, app.externalDnsOwnerId),
  ];
}

/**
 * The flags every ExternalDNS of the platform shares, the app's and its previews': the platform's
 * public zone only, records deleted when their source goes (`--policy=sync`), owned through TXT
 * records of `ownerId`.
 */
export function externalDnsZoneArgs(platform: ResolvedPlatform, ownerId: string): string[] {
  return [
    '--provider=aws',
    '--aws-zone-type=public',
    `--domain-filter=${platform.dns.domain}`,
    `--zone-id-filter=${platform.dns.hostedZoneId}`,
    '--policy=sync',
    '--registry=txt',
    `--txt-owner-id=${ownerId}`,
    '--interval=1m',
  ];
}

/** The pod of an ExternalDNS with `args`, running as `serviceAccountName`: the app's and its previews' are the same but for these. */
export function externalDnsPodTemplate(
  platform: ResolvedPlatform,
  labels: { [key: string]: string },
  serviceAccountName: string,
  args: string[],
): k8s.PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      serviceAccountName,
      // ExternalDNS watches Ingresses and Services: it needs the API token.
      automountServiceAccountToken: true,
      securityContext: restrictedPodSecurityContext(),
      containers: [
        {
          name: 'external-dns',
          image: UPSTREAM_URLS.externalDnsImage,
          args,
          env: [{ name: 'AWS_DEFAULT_REGION', value: platform.region }],
          resources: {
            requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
            limits: { cpu: k8s.Quantity.fromString('200m'), memory: k8s.Quantity.fromString('128Mi') },
          },
          securityContext: { ...restrictedContainerSecurityContext(), runAsUser: 65534, runAsGroup: 65534 },
          ports: [{ name: 'http', containerPort: 7979, protocol: 'TCP' }],
          livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('http') } },
        },
      ],
    },
  };
}
