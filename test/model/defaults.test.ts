// Every `default:` of the spec's description (lib/model/platform-shape.ts, written out as
// platform.schema.json) for the sections lib/model/defaults.ts fills in is what resolution produces
// for a field the spec leaves unset: a spec of only the required fields, resolved for real.
import { readFileSync } from 'fs';
import { withDefaults } from '../../lib/model/defaults';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import type { PlatformSpec } from '../../lib/model/types';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath } from '../fixtures';

type Schema = { [key: string]: any };

/** Every field of the schema with a default, by path (`apps[].containers[].resources.cpuRequest`). */
function schemaDefaults(node: Schema, path = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (path && node.default !== undefined) into.set(path, node.default);
  if (node.properties) for (const [key, child] of Object.entries<Schema>(node.properties)) schemaDefaults(child, path ? `${path}.${key}` : key, into);
  if (node.items) schemaDefaults(node.items, `${path}[]`, into);
  return into;
}

const DEFAULTS = schemaDefaults(JSON.parse(readFileSync(repoPath('platform.schema.json'), 'utf8')));

/**
 * The sections withDefaults covers. Not here: `environment` (the environment's name, needed before
 * the per-environment spec exists, lib/model/environments.ts) and `cluster.controllers` (each
 * workload has its own defaults, lib/model/controllers.ts).
 */
const COVERED = (path: string) => /^(cluster|github|secrets|argocd|workloadIdentity|apps)\b/.test(path) && !path.startsWith('cluster.controllers.');

/** Only the required fields (with the ids the default, immutable, OIDC subject form needs), plus a migration and a secret of only their required fields. */
function minimalSpec(extra: Schema = {}): Schema {
  return {
    name: 'shop',
    aws: { region: 'ap-northeast-1', account: '123456789012' },
    github: { owner: 'example', ownerId: '1000', manifestRepository: { name: 'platform-manifests' } },
    dns: { domain: 'example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
    apps: [
      {
        name: 'web',
        host: 'web.example.com',
        ci: { repository: 'web', repositoryId: '2000' },
        containers: [{ name: 'web', port: 8080 }],
        migration: { command: ['migrate'] },
        secret: { keys: ['DATABASE_URL'] },
      },
    ],
    ...extra,
  };
}

const resolve = (spec: Schema) => Platform.resolve(PlatformSpecLoader.fromObject(spec as PlatformSpec));

/** Where each default shows in the resolved platform. */
const RESOLVED: { [path: string]: (p: ResolvedPlatform) => unknown } = {
  'cluster.version': (p) => p.cluster.version,
  'cluster.compute.mode': (p) => p.cluster.compute,
  'cluster.nodes.instanceTypes': (p) => p.cluster.instanceTypes,
  'cluster.nodes.minSize': (p) => p.cluster.minSize,
  'cluster.nodes.diskSize': (p) => p.cluster.diskSize,
  'cluster.adminRoleArns': (p) => p.cluster.adminRoleArns,
  'cluster.vpcCidr': (p) => p.cluster.vpcCidr,
  'cluster.maxAzs': (p) => p.cluster.maxAzs,
  'cluster.publicAccessCidrs': (p) => p.cluster.publicAccessCidrs,
  'github.manifestRepository.branch': (p) => p.manifestRepository.branch,
  'github.manifestRepository.access': (p) => p.manifestRepository.access,
  'github.manifestRepository.credentials.type': (p) => p.manifestRepository.credentials?.type,
  'secrets.backend': (p) => p.secrets.backend,
  'secrets.vault.kvMount': (p) => p.secrets.vault?.kvMount,
  'secrets.vault.authMount': (p) => p.secrets.vault?.authMount,
  'argocd.namespace': (p) => p.argocd.namespace,
  'argocd.syncPolicy.automated': (p) => p.argocd.automated,
  'argocd.syncPolicy.prune': (p) => p.argocd.prune,
  'argocd.syncPolicy.selfHeal': (p) => p.argocd.selfHeal,
  'argocd.managed': (p) => p.argocd.managed,
  // Off: nothing of it is resolved.
  'argocd.deployFeedback.enabled': (p) => p.argocd.deployFeedback !== undefined,
  'argocd.identityCenter.adminGroupIds': (p) => p.argocd.identityCenter?.adminGroupIds,
  'workloadIdentity': (p) => p.workloadIdentity,
  'apps[].replicas': (p) => p.apps[0].replicas,
  'apps[].ci.subjectFormat': (p) => p.apps[0].ci.subjectFormat,
  'apps[].ci.tagPatterns': (p) => p.apps[0].ci.tagPatterns,
  'apps[].ci.branches': (p) => p.apps[0].ci.branches,
  'apps[].ci.environments': (p) => p.apps[0].ci.environments,
  'apps[].ci.pullRequests': (p) => p.apps[0].ci.pullRequests,
  'apps[].ci.deployPaths': (p) => p.apps[0].ci.deployPaths,
  'apps[].delivery': (p) => p.apps[0].delivery,
  'apps[].imageUpdate.strategy': (p) => p.apps[0].imageUpdate.strategy,
  'apps[].containers[].tag': (p) => p.apps[0].containers[0].tag,
  'apps[].containers[].dockerfile': (p) => p.apps[0].containers[0].image.dockerfile,
  'apps[].containers[].resources.cpuRequest': (p) => p.apps[0].containers[0].resources.cpuRequest,
  'apps[].containers[].resources.cpuLimit': (p) => p.apps[0].containers[0].resources.cpuLimit,
  'apps[].containers[].resources.memoryRequest': (p) => p.apps[0].containers[0].resources.memoryRequest,
  'apps[].containers[].resources.memoryLimit': (p) => p.apps[0].containers[0].resources.memoryLimit,
  'apps[].ingress.healthCheckPath': (p) => p.apps[0].ingress.healthCheckPath,
  'apps[].ingress.internetFacing': (p) => p.apps[0].ingress.internetFacing,
  'apps[].supplyChain.sign': (p) => p.apps[0].supplyChain.sign,
  'apps[].previews.enabled': (p) => p.apps[0].previews !== undefined,
  'apps[].previews.label': (p) => p.apps[0].previews?.label,
  'apps[].previews.maxConcurrent': (p) => p.apps[0].previews?.maxConcurrent,
  'apps[].previews.migrate': (p) => p.apps[0].previews?.migrate,
  'apps[].previews.imageExpiryDays': (p) => p.apps[0].previews?.imageExpiryDays,
  'apps[].migration.dockerfile': (p) => p.apps[0].migration?.image.dockerfile,
  'apps[].migration.retries': (p) => p.apps[0].migration?.retries,
  'apps[].migration.resources.cpuRequest': (p) => p.apps[0].migration?.resources.cpuRequest,
  'apps[].migration.resources.cpuLimit': (p) => p.apps[0].migration?.resources.cpuLimit,
  'apps[].migration.resources.memoryRequest': (p) => p.apps[0].migration?.resources.memoryRequest,
  'apps[].migration.resources.memoryLimit': (p) => p.apps[0].migration?.resources.memoryLimit,
  'apps[].secret.refreshInterval': (p) => p.apps[0].secret?.refreshInterval,
  'apps[].database.deployment': (p) => p.apps[0].database?.deployment,
  'apps[].database.minCapacity': (p) => p.apps[0].database?.minCapacity,
  'apps[].database.maxCapacity': (p) => p.apps[0].database?.maxCapacity,
  'apps[].database.username': (p) => p.apps[0].database?.username,
  'apps[].database.backupRetentionDays': (p) => p.apps[0].database?.backupRetentionDays,
  'apps[].database.rotationDays': (p) => p.apps[0].database?.rotationDays,
  'apps[].database.variables.host': (p) => p.apps[0].database?.variables.host,
  'apps[].database.variables.port': (p) => p.apps[0].database?.variables.port,
  'apps[].database.variables.username': (p) => p.apps[0].database?.variables.username,
  'apps[].database.variables.password': (p) => p.apps[0].database?.variables.password,
  'apps[].database.variables.dbname': (p) => p.apps[0].database?.variables.dbname,
};

// Vault's and Identity Center's defaults apply only where their section is given.
const vaultPlatform = resolve(minimalSpec({ secrets: { backend: 'vault', vault: { address: 'https://vault.example.com:8200' } } }));
// Identity Center's only with the managed Argo CD.
const managedPlatform = resolve(minimalSpec({ argocd: { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } } }));
// A database's only where the app has one, given with its one required field.
const databaseSpec = minimalSpec();
databaseSpec.apps[0].database = { engine: 'postgresql' };
const databasePlatform = resolve(databaseSpec);
// Previews' only where they are on: enabled and nothing else.
const previewsSpec = minimalSpec();
previewsSpec.apps[0].previews = { enabled: true };
const previewsPlatform = resolve(previewsSpec);
const platform = resolve(minimalSpec());
/** The platform each default shows in: the one where its section is given. */
const platformOf = (path: string) =>
  path.startsWith('secrets.vault.') ? vaultPlatform : path.startsWith('argocd.identityCenter.') ? managedPlatform : path.startsWith('apps[].database.')
    ? databasePlatform
    : path.startsWith('apps[].previews.') && path !== 'apps[].previews.enabled' ? previewsPlatform : platform;
const covered = [...DEFAULTS.keys()].filter(COVERED);

describe('each default of the description is what resolution gives an unset field', () => {
  test('every default of the covered sections is checked here', () => {
    expect(covered.length).toBeGreaterThan(40);
    expect(covered.filter((path) => !(path in RESOLVED))).toEqual([]);
  });

  test.each(covered)('%s', (path) => {
    expect(RESOLVED[path](platformOf(path))).toEqual(DEFAULTS.get(path));
  });

  test('an object whose presence turns something on stays absent: no migration, secret, vault or Identity Center of defaults', () => {
    const spec = minimalSpec();
    delete spec.apps[0].migration;
    delete spec.apps[0].secret;
    const filled = withDefaults(PlatformSpecLoader.fromObject(spec as PlatformSpec));
    const absent = [filled.apps[0].migration, filled.apps[0].secret, filled.apps[0].database, filled.secrets.vault, filled.argocd.identityCenter];
    expect(absent).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const resolved = resolve(spec);
    const off = [resolved.apps[0].migration, resolved.apps[0].secret, resolved.apps[0].database, resolved.secrets.vault];
    expect(off).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('a given value wins over the default, and resources keep their resolved order whatever order they are given in', () => {
    const spec = minimalSpec();
    spec.apps[0].replicas = 5;
    spec.apps[0].containers[0].resources = { memoryLimit: '1Gi', cpuRequest: '300m' };
    spec.argocd = { syncPolicy: { prune: false } };
    const resolved = resolve(spec);
    expect([resolved.apps[0].replicas, resolved.argocd.prune, resolved.argocd.selfHeal]).toEqual([5, false, true]);
    expect(Object.entries(resolved.apps[0].containers[0].resources)).toEqual([
      ['cpuRequest', '300m'],
      ['cpuLimit', DEFAULTS.get('apps[].containers[].resources.cpuLimit')],
      ['memoryRequest', DEFAULTS.get('apps[].containers[].resources.memoryRequest')],
      ['memoryLimit', '1Gi'],
    ]);
  });
});
