import { checkAddonList } from './addon-list';
import { platformShape } from './platform-shape';
import type { PlatformAddon } from './resolved';
import { toJsonSchema } from './shape';

/**
 * The JSON Schema of `platform.yaml` for a platform with these add-ons (a section for each), written
 * with the built-in ones to `platform.schema.json` by `npx projen schema`.
 *
 * @throws Error when two add-ons share a name or a spec key
 */
export function platformJsonSchema(addons: readonly PlatformAddon[]): Record<string, unknown> {
  checkAddonList(addons);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://cdk-eks-gitops.dev/platform.schema.json',
    title: 'cdk-eks-gitops platform spec',
    description: 'One description of a GitOps platform on Amazon EKS: cluster, CI roles, IRSA roles, ECR repositories and the manifests Argo CD syncs.',
    ...toJsonSchema(platformShape(addons)),
  };
}
