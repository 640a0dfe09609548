import { spawnSync } from 'child_process';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountResolutionError, AccountResolver, AccountSource } from '../../lib/model/account';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { repoPath, sandboxSpec } from '../fixtures';
import { compiledPath } from '../support/compiled-programs';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

function specWithoutAccount() {
  const spec = sandboxSpec();
  delete spec.aws.account;
  return PlatformSpecLoader.fromObject(spec);
}

describe('AccountResolver', () => {
  test('the spec wins over the environment and STS is not asked', async () => {
    const resolved = await AccountResolver.resolve(PlatformSpecLoader.fromObject(sandboxSpec()), { env: { CDK_DEFAULT_ACCOUNT: '999999999999' } });
    expect(resolved).toEqual({ account: '123456789012', source: AccountSource.SPEC });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  test('then CDK_DEFAULT_ACCOUNT, before AWS_ACCOUNT_ID', async () => {
    const resolved = await AccountResolver.resolve(specWithoutAccount(), {
      env: { CDK_DEFAULT_ACCOUNT: '111111111111', AWS_ACCOUNT_ID: '222222222222' },
    });
    expect(resolved).toEqual({ account: '111111111111', source: AccountSource.ENVIRONMENT });
  });

  test('then AWS_ACCOUNT_ID', async () => {
    const resolved = await AccountResolver.resolve(specWithoutAccount(), { env: { AWS_ACCOUNT_ID: '222222222222' } });
    expect(resolved).toEqual({ account: '222222222222', source: AccountSource.ENVIRONMENT });
  });

  test('a malformed environment value is an error naming the variable', async () => {
    await expect(AccountResolver.resolve(specWithoutAccount(), { env: { AWS_ACCOUNT_ID: 'prod' } })).rejects.toThrow(
      /AWS_ACCOUNT_ID is set to 'prod', which is not a 12-digit account id/,
    );
  });

  test('then STS GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '333333333333', Arn: 'arn:aws:iam::333333333333:user/ci' });
    const resolved = await AccountResolver.resolve(specWithoutAccount(), { env: {} });
    expect(resolved).toEqual({ account: '333333333333', source: AccountSource.STS });
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });

  test('an STS answer without an account id is an error', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    await expect(AccountResolver.resolve(specWithoutAccount(), { env: {} })).rejects.toThrow(/STS said: no account id in the answer/);
  });

  test('with no credentials, the error lists the three ways to give the account', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const attempt = AccountResolver.resolve(specWithoutAccount(), { env: {} });
    await expect(attempt).rejects.toBeInstanceOf(AccountResolutionError);
    await expect(attempt).rejects.toThrow(
      /aws.account in the platform spec[\s\S]*CDK_DEFAULT_ACCOUNT or AWS_ACCOUNT_ID[\s\S]*STS GetCallerIdentity[\s\S]*CredentialsProviderError: Could not load credentials/,
    );
  });

  test('a spec that names its account never loads the STS client: a synth does not pay for loading the SDK', () => {
    // A process of its own: this file has loaded the client already, to mock it.
    const script = `
      const { AccountResolver } = require(${JSON.stringify(compiledPath('lib/model/account.ts'))});
      const { PlatformSpecLoader } = require(${JSON.stringify(compiledPath('lib/platform/loader.ts'))});
      AccountResolver.resolve(PlatformSpecLoader.fromFile(${JSON.stringify(repoPath('examples', 'sandbox', 'platform.yaml'))})).then((resolved) => {
        const loaded = Object.keys(require.cache).filter((path) => path.includes('@aws-sdk/client-sts'));
        console.log(JSON.stringify({ resolved, loaded }));
      });`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: repoPath(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ resolved: { account: '123456789012', source: AccountSource.SPEC }, loaded: [] });
  });
});
