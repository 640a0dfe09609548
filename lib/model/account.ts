import type { PlatformSpec } from './types';

/** Options of `AccountResolver.resolve`. */
export interface AccountResolverOptions {
  /**
   * Environment variables to read `CDK_DEFAULT_ACCOUNT` and `AWS_ACCOUNT_ID` from.
   * @default process.env
   */
  readonly env?: { [name: string]: string };
}

/** Where an account id came from. */
export enum AccountSource {
  /** `aws.account` in the spec. */
  SPEC = 'spec',
  /** An environment variable. */
  ENVIRONMENT = 'environment',
  /** STS `GetCallerIdentity` with the current credentials. */
  STS = 'sts',
}

/** A resolved account id and where it came from. */
export interface ResolvedAccount {
  /** The 12-digit account id. */
  readonly account: string;
  /** Its source. */
  readonly source: AccountSource;
}

/**
 * Raised when no source gives an account id. (Not part of the jsii API: other languages see a plain
 * error with this message.)
 */
export class AccountResolutionError extends Error {
  constructor(cause: string) {
    super(
      'Cannot determine the AWS account id. Provide it in one of three ways:\n' +
        '  1. aws.account in the platform spec (e.g. account: "123456789012")\n' +
        '  2. the environment: CDK_DEFAULT_ACCOUNT or AWS_ACCOUNT_ID\n' +
        '  3. AWS credentials, so that STS GetCallerIdentity can answer (AWS_PROFILE, or the access key variables)\n' +
        `STS said: ${cause}`,
    );
    this.name = 'AccountResolutionError';
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Finds the AWS account a platform lives in: the spec first, then the environment, then STS
 * `GetCallerIdentity`. The manifests need it for role ARNs and the ECR registry.
 */
export class AccountResolver {
  /**
   * Resolves the account of a spec: the account of every environment that names none.
   *
   * @throws AccountResolutionError when no source gives an account id
   */
  public static async resolve(spec: PlatformSpec, options: AccountResolverOptions = {}): Promise<ResolvedAccount> {
    if (spec.aws.account) return { account: spec.aws.account, source: AccountSource.SPEC };
    // Environments that all name their accounts need no other: the first one's stands for the spec.
    const environments = spec.environments ?? [];
    if (environments.length > 0 && environments.every((e) => e.aws?.account)) {
      return { account: environments[0].aws!.account!, source: AccountSource.SPEC };
    }

    const env: { [name: string]: string | undefined } = options.env ?? process.env;
    for (const name of ['CDK_DEFAULT_ACCOUNT', 'AWS_ACCOUNT_ID']) {
      const value = env[name]?.trim();
      if (!value) continue;
      if (!ACCOUNT_ID.test(value)) {
        throw new AccountResolutionError(`(not asked) ${name} is set to '${value}', which is not a 12-digit account id`);
      }
      return { account: value, source: AccountSource.ENVIRONMENT };
    }

    // Loaded only here, where a synth needs it: the SDK client costs a synth CPU to load otherwise.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use, see above
    const { GetCallerIdentityCommand, STSClient }: typeof import('@aws-sdk/client-sts') = require('@aws-sdk/client-sts');
    // One attempt: with no credentials the SDK fails fast, and the error below says what to do.
    const client = new STSClient({ region: spec.aws.region, maxAttempts: 1 });
    try {
      const identity = await client.send(new GetCallerIdentityCommand({}));
      if (!identity.Account || !ACCOUNT_ID.test(identity.Account)) {
        throw new AccountResolutionError(`no account id in the answer (${JSON.stringify(identity.Account)})`);
      }
      return { account: identity.Account, source: AccountSource.STS };
    } catch (e) {
      if (e instanceof AccountResolutionError) throw e;
      throw new AccountResolutionError(`${(e as Error).name}: ${(e as Error).message}`);
    } finally {
      client.destroy();
    }
  }

  private constructor() {}
}
