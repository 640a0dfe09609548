import { Duration } from 'aws-cdk-lib';
import type { ResolvedContainerResources, ResolvedController } from '../model/resolved';

/**
 * How long each Helm release of the stack waits for its workloads (`helm upgrade --install --wait
 * --timeout`). The kubectl provider's Lambda, which runs helm, stops after 900 s (aws-cdk-lib
 * aws-eks-v2 `KubectlProvider`: `timeout: Duration.minutes(15)`); before helm waits it logs in to the
 * cluster and downloads the chart, and a pre-install hook (argo-cd's redis-secret-init Job) waits up
 * to this timeout too. Ten minutes leaves five for the rest: when the pods never become ready, helm
 * itself fails the release with its own message, instead of the Lambda dying silently and
 * CloudFormation waiting out the custom resource's hour.
 */
export const HELM_WAIT_TIMEOUT = Duration.minutes(10);

/** A container's `resources` value, as the charts take it. */
export function containerResources(resources: ResolvedContainerResources): { requests: { [k: string]: string }; limits: { [k: string]: string } } {
  return { requests: { ...resources.requests }, limits: { ...resources.limits } };
}

/**
 * The resources of the charts' short-lived helper containers (init containers that copy a binary,
 * the hook Job that writes Redis' password): small, fixed, with a memory limit.
 */
export const HELPER_CONTAINER_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } } as const;

/** A controller's settings, from resolved `cluster.controllers`, or a clear error naming the missing key. */
export function controllerSettings(controllers: { readonly [key: string]: ResolvedController }, key: string): ResolvedController {
  const settings = controllers[key];
  if (!settings) throw new Error(`controllers: no settings for '${key}'; pass the resolved cluster.controllers (resolveControllers fills in every workload)`);
  return settings;
}

/**
 * `overrides` merged over `base`: mappings key by key, at every depth; any other value (a list, a
 * string) of `overrides` replaces the base's.
 */
export function mergeValues(base: { [key: string]: any }, overrides: { [key: string]: any } | undefined): { [key: string]: any } {
  const result: { [key: string]: any } = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    const current = result[key];
    result[key] = isMapping(current) && isMapping(value) ? mergeValues(current, value) : value;
  }
  return result;
}

function isMapping(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
