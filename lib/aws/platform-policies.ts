import * as iam from 'aws-cdk-lib/aws-iam';
import type { ResolvedDns, ResolvedSecret } from '../spec/resolved';

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

/** List tags and read manifests of the given repositories (the Image Updater's view of ECR). */
export function imageUpdaterStatements(repositoryArns: string[]): iam.PolicyStatement[] {
  return [
    ecrLoginStatement(),
    new iam.PolicyStatement({
      sid: 'ReadAppImageTags',
      actions: ['ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage'],
      resources: repositoryArns,
    }),
  ];
}

/** Pull one repository's images. */
export function pullStatements(repositoryArn: string): iam.PolicyStatement[] {
  return [
    ecrLoginStatement(),
    new iam.PolicyStatement({
      sid: 'PullImage',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: [repositoryArn],
    }),
  ];
}
