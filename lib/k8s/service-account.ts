import type { ResolvedRole } from '../spec/resolved';

/** The annotation the EKS pod identity webhook reads to give a pod its IRSA role. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Annotations binding a ServiceAccount to its IRSA role. */
export function irsaAnnotations(role: ResolvedRole): { [key: string]: string } {
  return { [IRSA_ROLE_ANNOTATION]: role.roleArn };
}
