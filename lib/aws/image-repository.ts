import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

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
}

/**
 * An ECR repository for one application image, made to lose nothing: tags are immutable (a version
 * always means the same image, which the migration-follows-app rule relies on), images are scanned on
 * push and encrypted, and the repository is retained when the stack is deleted (but not when its
 * first creation is rolled back).
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
    this.repository = new ecr.Repository(this, 'Resource', {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      // KMS with the AWS managed aws/ecr key: encrypted at rest, auditable in CloudTrail, no key to run.
      encryption: ecr.RepositoryEncryption.KMS,
      // Kept when the stack is deleted (images are releases), but removed with a failed first create,
      // so retrying the deploy does not fail on a repository of the same name ("already exists").
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      emptyOnDelete: false,
      lifecycleRules: [
        { rulePriority: 1, description: 'Expire untagged images', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(props.untaggedExpiryDays ?? 14) },
        { rulePriority: 2, description: `Keep the newest ${maxImageCount} images`, tagStatus: ecr.TagStatus.ANY, maxImageCount },
      ],
    });
  }
}
