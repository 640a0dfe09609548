import { platformShape } from './platform-shape';
import { toJsonSchema } from './shape';
import { BUILT_IN_ADDONS } from '../addons/registry';

/** The JSON Schema of `platform.yaml`, written to `platform.schema.json` by `npx projen schema`. */
export function platformJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://cdk-eks-gitops.dev/platform.schema.json',
    title: 'cdk-eks-gitops platform spec',
    description: 'One description of a GitOps platform on Amazon EKS: cluster, CI roles, IRSA roles, ECR repositories and the manifests Argo CD syncs.',
    ...toJsonSchema(platformShape(BUILT_IN_ADDONS)),
  };
}
