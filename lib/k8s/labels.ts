import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';

/** Recommended labels of an application's objects; the first two also select its pods. */
export function appLabels(platform: ResolvedPlatform, app: ResolvedApp, component: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': platform.name,
    'app.kubernetes.io/managed-by': 'cdk-eks-gitops',
  };
}

/** The subset of `appLabels` that selects pods: stable, since a Deployment's selector is immutable. */
export function selectorLabels(app: ResolvedApp, component: string): { [key: string]: string } {
  return { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/component': component };
}

/** The image reference the base manifests start from; overlays and the Image Updater move its tag. */
export function imageRef(imageUri: string, tag: string): string {
  return `${imageUri}:${tag}`;
}
