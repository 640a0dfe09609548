import type { RenderRequest } from './helm';
import { DEFAULT_CONTEXT, EvalContext, resolveIntrinsics } from './iam-eval';

/** A `Custom::AWSCDK-EKS-HelmChart` resource of a template: what the kubectl provider runs helm with. */
export interface TemplateRelease extends RenderRequest {
  /** Its logical id. */
  readonly logicalId: string;
  /** `Wait`. */
  readonly wait: boolean;
  /** `Timeout` in seconds. */
  readonly timeoutSeconds?: number;
  /** The resources it depends on. */
  readonly dependsOn: string[];
}

/**
 * The Helm releases of a synthesized template, with their values resolved as CloudFormation would
 * (references to other resources become `<LogicalId>`, see iam-eval.ts), as the kubectl provider's
 * handler writes them to the values file it passes to helm.
 */
export function templateReleases(template: any, context: EvalContext = DEFAULT_CONTEXT): TemplateRelease[] {
  return Object.entries<any>(template.Resources)
    .filter(([, resource]) => resource.Type === 'Custom::AWSCDK-EKS-HelmChart')
    .map(([logicalId, resource]) => {
      const p = resource.Properties;
      const values = p.Values === undefined ? {} : JSON.parse(String(resolveIntrinsics(p.Values, template, {}, context)));
      const timeout = p.Timeout === undefined ? undefined : /^(\d+)s$/.exec(p.Timeout);
      return {
        logicalId,
        chart: p.Chart,
        version: p.Version,
        release: p.Release,
        namespace: p.Namespace,
        values,
        wait: p.Wait === true,
        timeoutSeconds: timeout ? Number(timeout[1]) : undefined,
        dependsOn: [resource.DependsOn ?? []].flat(),
      };
    });
}

/** The leaf paths of a values document: every key whose value is not a mapping (lists are leaves). */
export function leafPaths(values: Record<string, any>, prefix: string[] = []): string[][] {
  return Object.entries(values).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 ? leafPaths(value, [...prefix, key]) : [[...prefix, key]],
  );
}

/** The value at a path, or undefined. */
export function valueAt(values: any, path: string[]): any {
  return path.reduce((v, key) => (v !== null && typeof v === 'object' ? v[key] : undefined), values);
}

/** A copy of `values` without the key at `path` (and without mappings that it leaves empty). */
export function withoutPath(values: Record<string, any>, path: string[]): Record<string, any> {
  const [key, ...rest] = path;
  const copy = { ...values };
  if (rest.length === 0) {
    delete copy[key];
  } else {
    const inner = withoutPath(copy[key], rest);
    if (Object.keys(inner).length) copy[key] = inner;
    else delete copy[key];
  }
  return copy;
}

/** A copy of `values` with the key at `path` set to `value`. */
export function withPath(values: Record<string, any>, path: string[], value: any): Record<string, any> {
  const [key, ...rest] = path;
  return { ...values, [key]: rest.length === 0 ? value : withPath(values[key] ?? {}, rest, value) };
}

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job), if it is one. */
export function podSpecOf(object: Record<string, any>): Record<string, any> | undefined {
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind) ? object.spec?.template?.spec : undefined;
}
