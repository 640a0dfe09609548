import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { applyNagSuppressions } from '../../lib/aws/nag-suppressions';
import { PlatformSpecLoader } from '../../lib/spec/loader';
import { Platform } from '../../lib/spec/platform';
import type { ResolvedPlatform } from '../../lib/spec/resolved';
import { cdkApp, sandboxPlatform, sandboxSpec, specWithApps } from '../fixtures';

/** Synthesizes a platform with cdk-nag's AwsSolutions pack, as bin/app.ts does. */
function synthWithNag(platform: ResolvedPlatform, suppress = true): void {
  const app = cdkApp();
  const gitops = new GitOpsPlatform(app, platform.name, { platform });
  if (suppress) for (const stack of [gitops.platformStack, ...gitops.appsStacks]) applyNagSuppressions(stack, platform);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

function vaultPluginPlatform(): ResolvedPlatform {
  const spec = sandboxSpec();
  spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

describe('cdk-nag AwsSolutions', () => {
  test('passes on the sandbox, with the documented exceptions', () => {
    expect(() => synthWithNag(sandboxPlatform())).not.toThrow();
  });

  test('passes on 50 apps spread over application stacks', () => {
    expect(() => synthWithNag(Platform.resolve(specWithApps(50)))).not.toThrow();
  });

  test('passes with the argocd-vault-plugin backend', () => {
    expect(() => synthWithNag(vaultPluginPlatform())).not.toThrow();
  });

  test('passes with the EKS managed Argo CD', () => {
    const spec = sandboxSpec();
    spec.argocd = { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } };
    expect(() => synthWithNag(Platform.resolve(PlatformSpecLoader.fromObject(spec)))).not.toThrow();
  });

  test('fails without the exceptions: the check is real', () => {
    expect(() => synthWithNag(sandboxPlatform(), false)).toThrow(/AwsSolutions-IAM4|AwsSolutions-IAM5|Validation failed/);
  });
});
