import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { crossAccountPullStatements, ImageRepositoryPuller } from './cross-account-pull';

/** Properties of an `ImageRepository`. */
export interface ImageRepositoryProps {
  /** Repository name. */
  readonly repositoryName: string;

  /**
   * How many images to keep; older ones expire.
   * @default 200
   */
  readonly maxImageCount?: number;

  /**
   * Days an untagged image (a superseded layer set) is kept.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;

  /**
   * Days any image is kept after its push, tagged or not: a repository of short-lived images, such
   * as a preview repository, expires them by age instead of keeping the newest `maxImageCount`.
   * @default - none: images expire by count
   */
  readonly expiryDays?: number;

  /**
   * Roles of other accounts that may pull (and list) the images: another environment's nodes and
   * Image Updater. The repository policy names each account, narrowed to those roles by
   * `aws:PrincipalArn`, so the roles may be created after the repository.
   * @default - none: only principals of the repository's own account, through their IAM policies
   */
  readonly pullers?: ImageRepositoryPuller[];
}

/**
 * An ECR repository for one application image, made to lose nothing: tags are immutable (a version
 * always means the same image, which the migration-follows-app rule relies on), images are scanned on
 * push and encrypted, and the repository is retained when the stack is deleted (but not when its
 * first creation is rolled back). Other accounts' roles given as `pullers` may pull from it.
 *
 * The lifecycle rules keep the newest `maxImageCount` images (by push time) and expire the rest,
 * whether or not a cluster still runs them: ECR does not know what runs where. An environment that
 * lags more than `maxImageCount` releases behind the one that follows them (or a rollback that far)
 * would find its image gone. With `expiryDays` (a preview repository) every image expires that many
 * days after its push instead.
 */
export class ImageRepository extends Construct {
  /** The repository. */
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const maxImageCount = props.maxImageCount ?? 200;
    if (!Number.isInteger(maxImageCount) || maxImageCount < 1) {
      throw new Error(`ImageRepository ${props.repositoryName}: maxImageCount ${maxImageCount} must be a whole number of at least 1`);
    }
    const { expiryDays } = props;
    if (expiryDays !== undefined && (!Number.isInteger(expiryDays) || expiryDays < 1)) {
      throw new Error(`ImageRepository ${props.repositoryName}: expiryDays ${expiryDays} must be a whole number of at least 1`);
    }
    if (expiryDays !== undefined && props.maxImageCount !== undefined) {
      throw new Error(`ImageRepository ${props.repositoryName}: give expiryDays or maxImageCount, not both (images expire by age or by count)`);
    }
    const untaggedDays = Math.min(props.untaggedExpiryDays ?? 14, expiryDays ?? Infinity);
    // ECR evaluates the rule with tagStatus any last (CDK requires it to have the highest priority).
    const keep: ecr.LifecycleRule = expiryDays !== undefined
      ? { rulePriority: 2, description: `Expire every image ${expiryDays} days after its push`, tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(expiryDays) }
      : { rulePriority: 2, description: `Keep the newest ${maxImageCount} images`, tagStatus: ecr.TagStatus.ANY, maxImageCount };
    this.repository = new ecr.Repository(this, 'Resource', {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      // KMS with the AWS managed aws/ecr key: encrypted at rest, auditable in CloudTrail, no key to run.
      // Another account's pulls need nothing on it: ECR uses the key through grants whose grantee is
      // the repository (ECR user guide, "Encryption at rest"); the puller only calls ECR.
      encryption: ecr.RepositoryEncryption.KMS,
      // Kept when the stack is deleted (images are releases), but removed with a failed first create,
      // so retrying the deploy does not fail on a repository of the same name ("already exists").
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      emptyOnDelete: false,
      lifecycleRules: [
        { rulePriority: 1, description: 'Expire untagged images', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(untaggedDays) },
        keep,
      ],
    });
    for (const statement of crossAccountPullStatements(props.repositoryName, props.pullers ?? [])) this.repository.addToResourcePolicy(statement);
  }
}
