import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubActionsRole } from './github-actions-role';
import type { ResolvedPromotionRole } from '../model/resolved';

/** Properties of a `PromotionRole`. */
export interface PromotionRoleProps {
  /** The role as resolved (`platform.images.promotionRole`): its name, whom it trusts, what it reads. */
  readonly role: ResolvedPromotionRole;
  /** The account's GitHub Actions OIDC provider. */
  readonly provider: iam.IOidcProvider | iam.IOpenIdConnectProvider;
}

/**
 * The read-only role the manifest repository's promotion workflows assume, in the account that holds
 * the images, to `cosign verify` each image they copy before they open a pull request. It trusts only
 * the manifest repository's workflow runs on its branch (never a pull request, another branch or
 * another repository, an application repository included), and may log in to ECR and pull from the
 * signing applications' repositories: nothing that writes.
 *
 * The repositories are named by ARN, not referenced, so the role does not tie the platform stack to
 * the stacks the applications' repositories live in.
 */
export class PromotionRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PromotionRoleProps) {
    super(scope, id);
    const repositories = props.role.repositoryArns.map((arn, index) => ecr.Repository.fromRepositoryArn(this, `Repository${index}`, arn));
    this.role = new GitHubActionsRole(this, 'Role', {
      provider: props.provider,
      roleName: props.role.roleName,
      subjects: props.role.subjects,
      pullRepositories: repositories,
    }).role;
  }
}
