// The single-environment platforms whose Argo CD objects must not change when the manifest tree's
// layout does: the examples, the vault-plugin backend, and a variant with what the examples lack (a
// migration role, two apps of which one is internal with a named certificate, Pod Identity for
// ExternalDNS, the Vault backend of External Secrets, git write-back).
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, specWithApps } from '../fixtures';

const resolve = (spec: unknown): ResolvedPlatform => Platform.resolve(PlatformSpecLoader.fromObject(spec as any));

/** Each variant's platform, by fixture name. */
export const SINGLE_ENVIRONMENT_VARIANTS: { [name: string]: () => ResolvedPlatform } = {
  'sandbox': () => Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'sandbox', 'platform.yaml'))),
  'managed-argocd': () => Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml'))),
  'vault-plugin': () => {
    const spec = sandboxSpec();
    spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200', role: 'argocd' } };
    return resolve(spec);
  },
  'variants': () => {
    const spec: any = JSON.parse(JSON.stringify(specWithApps(2)));
    spec.environment = 'live';
    spec.secrets = { backend: 'vault', vault: { address: 'https://vault.example.com:8200' } };
    spec.addons = { externalDns: { workloadIdentity: 'pod-identity' } };
    spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
    spec.apps[0].imageUpdate = { strategy: 'semver', writeBack: 'git' };
    spec.apps[0].containers[0].resources = { cpuRequest: '500m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
    spec.apps[1].replicas = 3;
    spec.apps[1].ingress = { ...spec.apps[1].ingress, internetFacing: false, certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-0123456789ab' };
    return resolve(spec);
  },
};
