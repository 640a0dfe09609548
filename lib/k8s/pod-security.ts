import { k8s } from 'cdk8s-plus-28';
import type { ResolvedResources } from '../model/resolved';

/**
 * Pod defaults every workload the library renders starts from: the Kubernetes "restricted" Pod
 * Security Standard. Pods that need the Kubernetes API mount a token explicitly; the rest do not.
 */

/** The user id the platform's own pods run as (`nobody`). */
export const NON_ROOT_USER = 65534;

/** Container security context: non-root, no privilege escalation, no capabilities, read-only root. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Options of `restrictedPodSecurityContext`. */
export interface PodSecurityOptions {
  /**
   * Whether a container listens on a port below 1024. Non-root processes may not bind those, unless
   * the pod lowers `net.ipv4.ip_unprivileged_port_start`: a "safe" sysctl since Kubernetes 1.22 that
   * the Baseline and Restricted Pod Security Standards allow, and that is scoped to the pod's own
   * network namespace.
   * @default false
   */
  readonly bindsPrivilegedPort?: boolean;
}

/** The sysctl that lets non-root processes bind every port of the pod's own network namespace. */
export const UNPRIVILEGED_PORT_SYSCTL: k8s.Sysctl = { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' };

/**
 * Pod security context. `fsGroup` lets a non-root process read the projected IRSA web identity token,
 * which the EKS pod identity webhook mounts readable by the pod's group only.
 */
export function restrictedPodSecurityContext(options: PodSecurityOptions = {}): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    fsGroup: NON_ROOT_USER,
    seccompProfile: { type: 'RuntimeDefault' },
    sysctls: options.bindsPrivilegedPort ? [UNPRIVILEGED_PORT_SYSCTL] : undefined,
  };
}

/** Requests and limits in the Kubernetes form. */
export function resourceRequirements(resources: ResolvedResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(resources.cpuRequest), memory: k8s.Quantity.fromString(resources.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(resources.cpuLimit), memory: k8s.Quantity.fromString(resources.memoryLimit) },
  };
}

/** Environment variables read from keys of one Secret, sorted by name for stable output. */
export function secretEnv(secretName: string, variables: { [name: string]: string }): k8s.EnvVar[] {
  return Object.keys(variables)
    .sort()
    .map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key: variables[name] } } }));
}

/** Plain environment variables, sorted by name. */
export function plainEnv(variables: { [name: string]: string }): k8s.EnvVar[] {
  return Object.keys(variables)
    .sort()
    .map((name) => ({ name, value: variables[name] }));
}

/** The writable scratch directory a read-only root filesystem leaves a process. */
export const TMP_VOLUME: k8s.Volume = { name: 'tmp', emptyDir: {} };
export const TMP_MOUNT: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };
