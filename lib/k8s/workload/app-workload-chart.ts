import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedPlatform } from '../../model/resolved';
import { ComputeMode } from '../../model/types';
import { appLabels, imageRef, selectorLabels } from '../labels';
import {
  plainEnv,
  resourceRequirements,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  secretEnv,
  TMP_MOUNT,
  TMP_VOLUME,
} from '../pod-security';

/** Properties of an `AppWorkloadChart`. */
export interface AppWorkloadChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application. */
  readonly app: ResolvedApp;
}

/** The component label of the application's own pods. */
export const WORKLOAD_COMPONENT = 'server';

/**
 * An application served through an ALB: the Deployment (its containers, resources, secret-backed
 * environment), a ClusterIP Service and the Ingress with the load balancer's health check. The ALB
 * sends traffic straight to pod IPs (`target-type: ip`), so no NodePort. The IngressClass `alb` is the
 * load balancer controller's own (its Helm chart creates it), and with EKS Auto Mode the group's class
 * is the stack's (`AutoModeIngressClasses`), so no application declares or deletes it.
 */
export class AppWorkloadChart extends Chart {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The Ingress. */
  public readonly ingress: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: AppWorkloadChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const labels = appLabels(platform, app, WORKLOAD_COMPONENT);
    const selector = selectorLabels(app, WORKLOAD_COMPONENT);

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: { name: app.name, namespace: app.namespace, labels },
      spec: {
        replicas: app.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext({ bindsPrivilegedPort: app.bindsPrivilegedPort }),
            containers: app.containers.map((c) => ({
              name: c.name,
              image: imageRef(c.image.imageUri, c.tag),
              imagePullPolicy: 'IfNotPresent',
              ports: c.port === undefined ? undefined : [{ name: c.portName, containerPort: c.port, protocol: 'TCP' }],
              env: [...plainEnv(c.env), ...(app.secret ? secretEnv(app.secret.name, c.secretEnv) : [])],
              resources: resourceRequirements(c.resources),
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [TMP_MOUNT],
            })),
            volumes: [TMP_VOLUME],
          },
        },
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: app.name, namespace: app.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromNumber(app.ingress.port), protocol: 'TCP' }],
      },
    });

    const { ingress } = app;
    // EKS Auto Mode reads the group (it does not support the group.name annotation), the scheme and
    // the certificates from the IngressClassParams of the group's class; the rest from the Ingress.
    const autoMode = platform.cluster.compute === ComputeMode.AUTO_MODE;
    const perLoadBalancer: { [key: string]: string } = autoMode
      ? {}
      : {
        'alb.ingress.kubernetes.io/group.name': ingress.groupName,
        'alb.ingress.kubernetes.io/scheme': ingress.internetFacing ? 'internet-facing' : 'internal',
      };
    this.ingress = new k8s.KubeIngress(this, 'Ingress', {
      metadata: {
        name: app.name,
        namespace: app.namespace,
        labels,
        annotations: {
          ...perLoadBalancer,
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          ...(ingress.certificateArn && !autoMode ? { 'alb.ingress.kubernetes.io/certificate-arn': ingress.certificateArn } : {}),
          'alb.ingress.kubernetes.io/healthcheck-protocol': 'HTTP',
          'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
          'alb.ingress.kubernetes.io/healthcheck-path': ingress.healthCheckPath,
          'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '15',
          'alb.ingress.kubernetes.io/healthcheck-timeout-seconds': '5',
          'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
          'alb.ingress.kubernetes.io/unhealthy-threshold-count': '2',
          'alb.ingress.kubernetes.io/success-codes': '200',
        },
      },
      spec: {
        ingressClassName: ingress.className,
        // Without a certificate ARN, the controller finds an ACM certificate for these hosts.
        tls: [{ hosts: [app.host] }],
        rules: [
          {
            host: app.host,
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { name: 'http' } } } }],
            },
          },
        ],
      },
    });
  }
}
