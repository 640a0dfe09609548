import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { notificationsConfigData } from './notifications';
import { NOTIFICATIONS_CONFIG_MAP_NAME, NOTIFICATIONS_SECRET_NAME } from '../../model/resolve/feedback';
import type { ResolvedContainerResources, ResolvedPlatform } from '../../model/resolved';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../pod-security';

// Deploy feedback under the EKS managed Argo CD (`argocd.managed: true`). The capability's own
// notifications controller reads argocd-notifications-cm only when the ConfigMap carries an opt-in
// label (EKS user guide, "Send notifications for Argo CD Applications"), and the platform does not
// rely on that label; so the platform runs Argo CD's upstream notifications controller itself, the
// `argocd-notifications-controller` of the pinned Argo CD v3.4.4, in Argo CD's namespace, where the
// capability's Applications and AppProjects live. Its ConfigMap carries no label of the capability,
// so the capability's controller never sends these notifications too.
//
// What the controller needs, from Argo CD v3.4.4's source:
// - cmd/argocd-notification/commands/argocd_notification.go: one namespace (`--namespace`, else the
//   pod's), whose Applications it watches (no `--application-namespaces`: the capability's
//   Applications are all in its one namespace), the ConfigMap and Secret by name
//   (`--config-map-name`, `--secret-name`), metrics on `--metrics-port`.
// - It dials argocd-repo-server (`--argocd-repo-server`, default `argocd-repo-server:8081`) only for
//   the `repo.*` template functions (util/notification/argocd/service.go GetCommitMetadata,
//   GetAppDetails; grpc.NewClient connects on the first call): the capability's repo server is not
//   reachable from the cluster, and the platform's templates call none (test/k8s/notifications.test.ts).
// - argocd-cm and argocd-secret are read only by those two functions too (the settings manager is
//   created lazily by NewSettingsManager and read by db.NewDB there), and argocd-tls-certs-cm, which
//   the install mounts, only for a TLS server with a custom certificate (util/cert
//   GetCertificateForConnect returns none when the file is missing): api.github.com needs none.
// - The leader-less controller keeps what it sent in an annotation of each Application; two replicas
//   would both send: one replica, replaced with `Recreate` as the install does.

/** The port the controller serves its metrics on (and the install's liveness probe checks). */
export const NOTIFICATIONS_METRICS_PORT = 9001;

/** One rule of the controller's Role, with the reason it needs it. */
export interface NotificationsControllerRule {
  /** The rule. */
  readonly rule: k8s.PolicyRule;
  /** What in the controller needs it, and what of the upstream install's Role it keeps. */
  readonly reason: string;
}

/**
 * The controller's Role: exactly what Argo CD v3.4.4's notifications controller does, in Argo CD's
 * namespace. The upstream install's Role (argocd-notifications-controller) also grants `get`,
 * `update` and `patch` of AppProjects, `update` of Applications, `get` of its ConfigMap and Secret,
 * and `list` and `watch` of every ConfigMap and Secret of the namespace: here the namespace holds
 * the repository credentials and the cluster Secret too, and nothing in the controller needs them.
 */
export const NOTIFICATIONS_CONTROLLER_RULES: readonly NotificationsControllerRule[] = [
  {
    rule: { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['list', 'watch'] },
    reason: 'the Application informer (notification_controller/controller/controller.go newInformer: List and Watch in its namespace)',
  },
  {
    rule: { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['patch'] },
    reason:
      'what it sent, kept in the annotation notified.notifications.argoproj.io (notifications-engine pkg/controller/controller.go ' +
      'processResource: a merge patch of metadata.annotations); it never updates an Application',
  },
  {
    rule: { apiGroups: ['argoproj.io'], resources: ['appprojects'], verbs: ['get', 'list', 'watch'] },
    reason:
      "the AppProject informer (the project's subscriptions, controller.go alterDestinations) and the `appProject` template variable " +
      '(util/notification/argocd/service.go GetAppProject, a get on every notification)',
  },
  {
    rule: { apiGroups: [''], resources: ['configmaps'], resourceNames: [NOTIFICATIONS_CONFIG_MAP_NAME], verbs: ['list', 'watch'] },
    reason:
      'its configuration, watched by name (util/notification/k8s/informers.go NewConfigMapInformer: a metadata.name field selector, ' +
      'which the API server authorizes as that name)',
  },
  {
    rule: { apiGroups: [''], resources: ['secrets'], resourceNames: [NOTIFICATIONS_SECRET_NAME], verbs: ['list', 'watch'] },
    reason: 'the GitHub App\'s keys, watched by name (informers.go NewSecretInformer, the same field selector)',
  },
];

/** Properties of a `NotificationsControllerChart`. */
export interface NotificationsControllerChartProps extends ChartProps {
  /** The resolved platform, with deploy feedback on under the EKS managed Argo CD (`argocd.deployFeedback.controller`). */
  readonly platform: ResolvedPlatform;
}

/**
 * Argo CD's notifications controller and its configuration, run by the platform in Argo CD's
 * namespace under the EKS managed Argo CD: `argocd-notifications-cm` (the same data the
 * self-managed install's Helm values write), the controller's ServiceAccount, its Role
 * (`NOTIFICATIONS_CONTROLLER_RULES`) and RoleBinding, and its Deployment, one replica of the pinned
 * Argo CD image under the restricted Pod Security Standard. `argocd-notifications-secret` is the
 * bootstrap's (External Secrets, `NotificationsCredentials`), as with a self-managed Argo CD.
 */
export class NotificationsControllerChart extends Chart {
  /** argocd-notifications-cm. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The controller's ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** Its Role. */
  public readonly role: k8s.KubeRole;
  /** Its RoleBinding. */
  public readonly roleBinding: k8s.KubeRoleBinding;
  /** Its Deployment. */
  public readonly deployment: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: NotificationsControllerChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const feedback = platform.argocd.deployFeedback;
    const controller = feedback?.controller;
    if (!feedback || !controller) {
      throw new Error(
        `NotificationsControllerChart: platform ${platform.qualifiedName} runs no notifications controller of its own ` +
          '(argocd.deployFeedback is off, or Argo CD is self-managed and its Helm release runs one)',
      );
    }
    const namespace = platform.argocd.namespace;
    const name = controller.name;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': platform.name, 'app.kubernetes.io/managed-by': 'cdk-eks-gitops' };

    // Only the platform's own labels: no opt-in label of the capability's managed controller.
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: NOTIFICATIONS_CONFIG_MAP_NAME, namespace, labels: { ...labels, 'app.kubernetes.io/name': NOTIFICATIONS_CONFIG_MAP_NAME } },
      data: notificationsConfigData(feedback),
    });

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name, namespace, labels } });
    this.role = new k8s.KubeRole(this, 'Role', {
      metadata: { name, namespace, labels },
      rules: NOTIFICATIONS_CONTROLLER_RULES.map(({ rule }) => rule),
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });

    const selector = { 'app.kubernetes.io/name': name };
    const probe = { tcpSocket: { port: k8s.IntOrString.fromNumber(NOTIFICATIONS_METRICS_PORT) } };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: name,
            // It talks to the Kubernetes API (pod-security.ts: such pods mount a token explicitly).
            automountServiceAccountToken: true,
            securityContext: restrictedPodSecurityContext(),
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [
              {
                name,
                image: controller.image,
                args: [
                  '/usr/local/bin/argocd-notifications',
                  `--namespace=${namespace}`,
                  `--config-map-name=${NOTIFICATIONS_CONFIG_MAP_NAME}`,
                  `--secret-name=${NOTIFICATIONS_SECRET_NAME}`,
                  `--metrics-port=${NOTIFICATIONS_METRICS_PORT}`,
                ],
                workingDir: '/app',
                ports: [{ name: 'metrics', containerPort: NOTIFICATIONS_METRICS_PORT, protocol: 'TCP' }],
                livenessProbe: probe,
                readinessProbe: probe,
                resources: quantities(controller.resources),
                securityContext: restrictedContainerSecurityContext(),
              },
            ],
          },
        },
      },
    });
  }
}

/** Resolved requests and limits as Kubernetes quantities. */
function quantities(resources: ResolvedContainerResources): k8s.ResourceRequirements {
  const of = (values: { readonly [resource: string]: string }) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, k8s.Quantity.fromString(value)]));
  return { requests: of(resources.requests), limits: of(resources.limits) };
}
