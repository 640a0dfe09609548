import * as iam from 'aws-cdk-lib/aws-iam';
import type { ResolvedDns, ResolvedPermission, ResolvedRepositoryCredentials, ResolvedSecret } from '../spec/resolved';

/**
 * The least-privilege permissions of the platform's IRSA roles. `Resource: "*"` appears only for
 * actions IAM cannot scope (`ecr:GetAuthorizationToken`, `route53:ListHostedZones`).
 */

/** Read the application's secrets, and only those under its prefix. */
export function externalSecretsStatements(secret: ResolvedSecret): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadAppSecrets',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'],
      resources: [secret.remoteArnPattern],
    }),
  ];
}

/** Change records only in the platform's hosted zone. */
export function externalDnsStatements(dns: ResolvedDns): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ChangeZoneRecords',
      actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      resources: [dns.hostedZoneArn],
    }),
    new iam.PolicyStatement({ sid: 'FindZones', actions: ['route53:ListHostedZones'], resources: ['*'] }),
  ];
}

/** ECR login: the token action has no resource-level permission. */
export function ecrLoginStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] });
}

/**
 * List tags and read manifests of the given repositories (the Image Updater's view of ECR). The
 * `newest-build` strategy reads each image's config blob for its creation date, a layer download.
 */
export function imageUpdaterStatements(repositoryArns: string[]): iam.PolicyStatement[] {
  return [
    ecrLoginStatement(),
    new iam.PolicyStatement({
      sid: 'ReadAppImageTags',
      actions: ['ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: repositoryArns,
    }),
  ];
}

/** Read the manifest repository's credentials: that one secret, for External Secrets in Argo CD's namespace. */
export function repositoryCredentialsStatements(credentials: ResolvedRepositoryCredentials): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadRepositoryCredentials',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [credentials.secretArnPattern],
    }),
  ];
}

/** Exactly the permissions the spec gives a migration Job. */
export function permissionStatements(permissions: ResolvedPermission[]): iam.PolicyStatement[] {
  return permissions.map((p, i) => new iam.PolicyStatement({ sid: `Spec${i}`, actions: [...p.actions], resources: [...p.resources] }));
}

