import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../model/github-subjects';

/** Properties of a `GitHubOidcProvider`. */
export interface GitHubOidcProviderProps {
  /**
   * ARN of the account's existing provider for `token.actions.githubusercontent.com`. An account can
   * hold only one provider per URL, so every stack after the first must import it.
   * @default - a new provider
   */
  readonly existingProviderArn?: string;
}

/**
 * The account's OIDC provider for GitHub Actions (native `AWS::IAM::OIDCProvider`, audience
 * `sts.amazonaws.com`, no thumbprints: IAM validates GitHub's certificate itself), or the existing one.
 */
export class GitHubOidcProvider extends Construct {
  /** The provider. */
  public readonly provider: iam.IOidcProvider;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps = {}) {
    super(scope, id);
    if (props.existingProviderArn !== undefined) {
      if (!props.existingProviderArn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)) {
        throw new Error(`GitHubOidcProvider: existingProviderArn '${props.existingProviderArn}' is not a provider for ${GITHUB_OIDC_HOST}`);
      }
      this.provider = iam.OidcProviderNative.fromOidcProviderArn(this, 'Imported', props.existingProviderArn);
    } else {
      this.provider = new iam.OidcProviderNative(this, 'Resource', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIds: [GITHUB_OIDC_AUDIENCE],
      });
    }
  }
}
