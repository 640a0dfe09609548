import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Roles of another AWS account that may read an `ImageRepository`: a cluster's nodes, which pull the
 * images, and an Argo CD Image Updater, which also lists the tags. The repository's policy admits the
 * account only for requests whose `aws:PrincipalArn` is one of these roles.
 */
export interface ImageRepositoryPuller {
  /** The account the roles are in (12 digits). */
  readonly account: string;

  /**
   * Roles that pull images (a node group's role): `ecr:BatchGetImage`,
   * `ecr:GetDownloadUrlForLayer` and `ecr:BatchCheckLayerAvailability`.
   */
  readonly pullRoleArns: string[];

  /**
   * Roles that list and read the tags as well (an Image Updater in that account): the pull actions,
   * `ecr:ListImages` and `ecr:DescribeImages`.
   * @default - none
   */
  readonly readRoleArns?: string[];
}

/** What a node needs of a repository to pull an image from it (the layers and the manifest). */
export const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** What an Image Updater needs besides: the tags and their push dates. */
export const ECR_READ_ACTIONS = [...ECR_PULL_ACTIONS, 'ecr:DescribeImages', 'ecr:ListImages'];

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@\/-]+$/;

/**
 * The repository policy statements that let other accounts' roles pull (and read) a repository.
 *
 * The principal is the account (`arn:<partition>:iam::<account>:root`), narrowed to the named roles
 * by a condition on `aws:PrincipalArn`, rather than the roles themselves: ECR refuses a repository
 * policy that names a role which does not exist yet ("Invalid parameter at 'PolicyText' failed to
 * satisfy constraint: 'Principal not found'"), and the other environment's node role is created
 * after the repositories, in another stack of another account. An account principal always exists,
 * and the condition holds as soon as the role does. IAM also stores a principal that names a role as
 * the role's unique id, so a role deleted and created again under the same name (a replaced node
 * group) would no longer match; a condition on the ARN keeps matching it.
 *
 * @throws Error naming the puller and the field when an account or a role ARN is malformed, or a role
 * is not in the puller's account
 */
export function crossAccountPullStatements(repositoryName: string, pullers: ImageRepositoryPuller[]): iam.PolicyStatement[] {
  pullers.forEach((puller, i) => {
    const at = `ImageRepository ${repositoryName}: pullers[${i}]`;
    if (!/^\d{12}$/.test(puller.account)) throw new Error(`${at}.account '${puller.account}' is not an AWS account id (12 digits)`);
    const check = (field: string, arns: string[]) =>
      arns.forEach((arn, j) => {
        const account = ROLE_ARN.exec(arn)?.[1];
        if (account === undefined) throw new Error(`${at}.${field}[${j}] '${arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
        if (account !== puller.account) throw new Error(`${at}.${field}[${j}] '${arn}' is a role of account ${account}, not of ${puller.account}`);
      });
    check('pullRoleArns', puller.pullRoleArns);
    check('readRoleArns', puller.readRoleArns ?? []);
  });
  // One statement per account and purpose (statement ids are unique in a policy): two environments
  // in one account share it.
  const accounts = [...new Set(pullers.map((p) => p.account))];
  return accounts.flatMap((account) => {
    const roles = (field: 'pullRoleArns' | 'readRoleArns') =>
      [...new Set(pullers.filter((p) => p.account === account).flatMap((p) => p[field] ?? []))];
    const statement = (sid: string, actions: string[], arns: string[]) =>
      new iam.PolicyStatement({
        sid,
        principals: [new iam.AccountPrincipal(account)],
        actions,
        // aws:PrincipalArn is the role's ARN for its sessions (a node's, a pod's); ARN operators
        // compare ARNs as IAM recommends.
        conditions: { ArnEquals: { 'aws:PrincipalArn': arns } },
      });
    const pull = roles('pullRoleArns');
    const read = roles('readRoleArns');
    return [
      ...(pull.length ? [statement(`Pull${account}`, ECR_PULL_ACTIONS, pull)] : []),
      ...(read.length ? [statement(`Read${account}`, ECR_READ_ACTIONS, read)] : []),
    ];
  });
}
