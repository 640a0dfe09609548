import { createHash } from 'crypto';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { WorkloadIdentity } from './types';

/**
 * Physical-name rules shared by every construct. Names are deterministic so that a manifest can name a
 * role ARN before the stack that creates the role has been deployed.
 */

/** IAM's limit on role names. */
export const MAX_ROLE_NAME_LENGTH = 64;

/** Length of the hash suffix appended when a name must be shortened. */
const HASH_LENGTH = 8;

/** The ServiceAccount Argo CD Image Updater 1.x runs as (0.x used `argocd-image-updater`). */
export const IMAGE_UPDATER_SERVICE_ACCOUNT = 'argocd-image-updater-controller';

/**
 * The account id that stands in for one the spec does not name, where a platform is resolved only for
 * its names and rules (validation): twelve digits, as an account id has, and the account of nobody.
 */
export const PLACEHOLDER_ACCOUNT = '000000000000';

/** The platform stack's id, which is its CloudFormation name: `<qualifiedName>-platform`. */
export function platformStackId(qualifiedName: string): string {
  return `${qualifiedName}-platform`;
}

/** The stack an application is in: `<qualifiedName>-<apps[].stack>`, else the platform stack. */
export function appStackId(qualifiedName: string, stack?: string): string {
  return stack ? `${qualifiedName}-${stack}` : platformStackId(qualifiedName);
}

/** The CloudFormation stacks of a resolved platform, the platform stack first: what `cdk deploy --all` deploys. */
export function stackIds(platform: { readonly qualifiedName: string; readonly apps: readonly { readonly stackId: string }[] }): string[] {
  return [...new Set([platformStackId(platform.qualifiedName), ...platform.apps.map((app) => app.stackId)])];
}

/** How a workload role's identity reads in a description: `IRSA` or `Pod Identity`. */
export function identityLabel(identity: WorkloadIdentity): string {
  return identity === WorkloadIdentity.IRSA ? 'IRSA' : 'Pod Identity';
}

/**
 * Joins name parts with '-' and, when the result exceeds `maxLength`, keeps a readable prefix and
 * appends a hash of the full name, so two long names that share a prefix still differ.
 */
export function boundedName(parts: string[], maxLength: number): string {
  const full = parts.join('-');
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const prefix = full.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}

/**
 * An IAM role name from the platform name, the owner (an app, or nothing) and its purpose.
 *
 * Distinct apps (unique names, checked by validation) get distinct role names: no app purpose
 * (`ci`, `external-secrets`, `external-dns`, `migration`) ends with `-<another purpose>`, so
 * `<app>-<purpose>` splits only one way, and no platform purpose (`image-updater`,
 * `repository-reader`) ends with an app purpose, so a platform role never looks like an app's; a
 * shortened name ends in a hash of the full name, which no unshortened name (ending in a purpose
 * word) can look like.
 */
export function roleName(platform: string, purpose: string, app?: string): string {
  return boundedName(app ? [platform, app, purpose] : [platform, purpose], MAX_ROLE_NAME_LENGTH);
}

/** The ARN of a role with the default path `/`. */
export function roleArn(partition: string, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:role/${name}`;
}

/** The subject a projected ServiceAccount token carries, which an IRSA trust policy matches. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/** The partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...), from aws-cdk-lib's region table. */
export function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

/** The ECR registry host of an account in a region. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.${RegionInfo.get(region).domainSuffix ?? 'amazonaws.com'}`;
}

/**
 * `my-app` → `MyApp`: the prefix of an application's CloudFormation output names, which allow only
 * letters and digits. Two application names may map to one prefix (`web-1`, `web1`); validation
 * refuses that.
 */
export function outputPrefix(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
