// Derived names, generated: specs the schema accepts, built from name pieces that carry dashes
// (`eu` + `web-api` and `eu-web` + `api` give one `<env>-<app>`), with one account or several, with
// a hub or without. For every spec, validation either accepts it and then every set of derived names
// is unique where it must be, or refuses it with problems that each name a field; it never crashes.
// Where names must be unique: IAM role names in an account (IAM user guide, "IAM object quotas":
// names are unique within an account), stacks in one CDK app, Argo CD Applications in one Argo CD
// namespace (Kubernetes object names), ExternalDNS TXT owner ids in a hosted zone (ExternalDNS
// docs: an instance with --policy=sync deletes the records of its zone that its owner id marks).
// Label values are at most 63 characters (Kubernetes "Labels and Selectors").
import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { resolveEnvironments } from '../../lib/model/resolve';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { toYaml } from '../../lib/output/yaml';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxSpec, twoEnvironmentsSpec } from '../fixtures';

/** A small seeded generator (Park and Miller's minimal standard): the same specs on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

const PIECES = ['eu', 'web', 'api', 'root', 'updater', 'argocd', 'image', 'secrets', 'platform', 'shop', 'staging', 'no'];
const IDENTITY_CENTER = { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' };

interface Generated {
  readonly spec: any;
  readonly says: string;
}

function generate(next: () => number): Generated {
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const name = () => (next() < 0.5 ? pick(PIECES) : `${pick(PIECES)}-${pick(PIECES)}`);
  const unique = (count: number) => {
    const names = new Set<string>();
    while (names.size < count) names.add(name());
    return [...names];
  };
  const envNames = unique(1 + Math.floor(next() * 3));
  const appNames = unique(1 + Math.floor(next() * 3));
  const oneAccount = next() < 0.6;
  const hub = envNames.length > 1 && next() < 0.3;
  const spec = twoEnvironmentsSpec();
  // Without migration permissions, which name one account's database.
  const template = { ...spec.apps[0], migration: { ...spec.apps[0].migration, permissions: undefined } };
  spec.apps = appNames.map((app, i) => ({
    ...template,
    name: app,
    host: `${app}.example.com`,
    ci: { ...template.ci, repository: `repo-${i}`, repositoryId: String(300000 + i) },
    ...(next() < 0.25 ? { stack: name() } : {}),
  }));
  spec.environments = envNames.map((env, i) => ({
    name: env,
    aws: { account: oneAccount ? '111111111111' : String(111111111111 * (i + 1)) },
    dns: { domain: `${env}.example.com`, hostedZoneId: next() < 0.5 ? 'Z0SHARED000000000000' : `Z0ZONE${i}00000000000` },
    apps: appNames.map((app) => ({ name: app, host: `${app}.${env}.example.com` })),
  }));
  spec.registry = { environment: envNames[0] };
  if (hub) spec.argocd = { managed: true, hub: envNames[0], identityCenter: IDENTITY_CENTER };
  return { spec, says: `envs ${envNames.join(',')} apps ${appNames.join(',')}${oneAccount ? ' one account' : ''}${hub ? ' hub' : ''}` };
}

/** Every set of names that must be unique, from the resolved environments: `<kind> in <scope>` to name → owners. */
function derivedNames(platforms: ResolvedPlatform[]): Map<string, Map<string, Set<string>>> {
  const sets = new Map<string, Map<string, Set<string>>>();
  const claim = (set: string, name: string, owner: string) => {
    const names = sets.get(set) ?? new Map<string, Set<string>>();
    sets.set(set, names);
    names.set(name, (names.get(name) ?? new Set()).add(owner));
  };
  for (const p of platforms) {
    // Every role anywhere in the resolved environment (found by walking it, not by a list of kinds):
    // a role with a subject belongs to that ServiceAccount in that environment; one without (a CI role,
    // the hub's) to the app it is found under, or the platform.
    const walk = (value: any, app: string | undefined, key: string) => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v, app, key));
      if (value === null || typeof value !== 'object') return;
      if (typeof value.roleName === 'string' && typeof value.roleArn === 'string') {
        const account = value.roleArn.split(':')[4];
        claim(`IAM role in ${account}`, value.roleName, value.subject ? `${p.environment}|${value.subject}` : `${app ?? ''}|${key}`);
      }
      const here = typeof value.name === 'string' && typeof value.namespace === 'string' && value.ci ? value.name : app;
      for (const [k, v] of Object.entries(value)) walk(v, here, k);
    };
    walk(p, undefined, '');
    if (p.cluster.nodeRoleName) claim(`IAM role in ${p.account}`, p.cluster.nodeRoleName, `${p.environment}|nodes`);
    claim('stack', `${p.qualifiedName}-platform`, p.environment);
    for (const app of p.apps) claim('stack', app.stackId, p.environment);
    const argocd = p.argocd.hub?.environment ?? p.environment;
    claim(`Application in ${argocd}`, p.argocd.rootApplication, `${p.environment}|root`);
    for (const application of p.applications) claim(`Application in ${argocd}`, application.name, `${p.environment}|${application.path ?? application.chart?.chart}`);
    for (const app of p.apps) claim(`TXT owner in ${p.dns.hostedZoneId}`, app.externalDnsOwnerId, `${p.environment}|${app.name}`);
  }
  return sets;
}

const SPECS = 400;

describe('derived names of generated specs', () => {
  const next = random(17);
  const generated = Array.from({ length: SPECS }, () => generate(next));
  const outcomes = generated.map(({ spec, says }) => ({ says, spec, problems: validateSpec(spec, BUILT_IN_ADDONS) }));

  test('validation never crashes, and every problem names a field', () => {
    for (const { problems } of outcomes) {
      for (const p of problems) {
        expect(p.path).toMatch(/^(apps|environments|registry|argocd|environment)(\[\d+\])?(\.|\[|$)/);
        expect(p.message).not.toMatch(/Cannot read properties|undefined/);
      }
    }
  });

  test('both outcomes occur (the generator reaches collisions and valid specs alike)', () => {
    const accepted = outcomes.filter((o) => o.problems.length === 0).length;
    expect(accepted).toBeGreaterThan(SPECS / 10);
    expect(SPECS - accepted).toBeGreaterThan(SPECS / 10);
  });

  test('an accepted spec has unique derived names, labels within 63 characters, and no YAML 1.1 boolean as a name', () => {
    for (const { spec, says, problems } of outcomes) {
      if (problems.length) continue;
      const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
      const collisions = [...derivedNames(platforms)].flatMap(([set, names]) =>
        [...names].filter(([, owners]) => owners.size > 1).map(([name, owners]) => `${set}: ${name} of ${[...owners].join(' and ')}`),
      );
      expect({ says, collisions }).toEqual({ says, collisions: [] });
      const long = platforms.flatMap((p) => [p.argocd.rootApplication, ...p.applications.map((a) => a.name)]).filter((n) => n.length > 63);
      expect({ says, long }).toEqual({ says, long: [] });
      const booleans = platforms.flatMap((p) => [p.environment, ...p.apps.map((a) => a.name)]).filter((n) => ['no', 'yes', 'on', 'off', 'y', 'n'].includes(n));
      expect({ says, booleans }).toEqual({ says, booleans: [] });
      // No app's External Secrets role reaches the manifest repository's credentials.
      for (const p of platforms) {
        for (const app of p.apps.filter((a) => a.secret)) {
          expect(p.manifestRepository.credentials?.secretName.startsWith(app.secret!.remotePrefix) ?? false).toBe(false);
        }
      }
    }
  });

  test('accepted specs write a manifest tree with unique paths and one Application per name in each Argo CD', () => {
    // The manifests are the slow part: a sample of the accepted specs with several environments.
    const sample = outcomes.filter((o) => o.problems.length === 0 && o.spec.environments.length > 1).slice(0, 20);
    expect(sample.filter((o) => o.spec.argocd?.hub).length).toBeGreaterThan(2);
    for (const { spec, says } of sample) {
      const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
      const files = ManifestRepository.forEnvironments(platforms).manifestFiles();
      const paths = files.map((f) => f.path);
      expect({ says, repeated: paths.filter((p, i) => paths.indexOf(p) !== i) }).toEqual({ says, repeated: [] });
      // An Application's Argo CD: the hub's for every environment, else its environment's own
      // (argocd/{bootstrap,apps}/<environment>/).
      const applications = files
        .filter((f) => f.path.endsWith('.yaml'))
        .flatMap((f) => parseAllDocuments(f.content).map((d) => ({ path: f.path, object: d.toJS() })))
        .filter(({ object }) => object?.kind === 'Application')
        .map(({ path, object }) => `${spec.argocd?.hub ? 'hub' : /^argocd\/(?:bootstrap|apps)\/([^/]+)\//.exec(path)?.[1]}:${object.metadata.name}`);
      expect(applications.length).toBeGreaterThan(platforms.length);
      expect({ says, repeated: applications.filter((a, i) => applications.indexOf(a) !== i) }).toEqual({ says, repeated: [] });
    }
  });

  test('a name problem is reported once per field', () => {
    for (const { problems, says } of outcomes) {
      const ofNames = problems.filter((p) => /collide|is reserved|YAML 1\.1|app\.kubernetes\.io\/name/.test(p.message));
      const paths = ofNames.map((p) => p.path);
      expect({ says, problems: ofNames.filter((p) => paths.indexOf(p.path) !== paths.lastIndexOf(p.path)) }).toEqual({ says, problems: [] });
    }
  });
});

describe('the collisions of the reports, one by one', () => {
  const spec = (mutate: (s: any) => void) => {
    const s = twoEnvironmentsSpec();
    mutate(s);
    return validateSpec(s, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
  };

  test('environments eu and eu-web in one account with apps web-api and api: one IAM role name', () => {
    const problems = spec((s) => {
      s.environments[0].name = 'eu';
      s.environments[1].name = 'eu-web';
      s.registry.environment = 'eu';
      s.environments[1].aws.account = s.environments[0].aws.account;
      s.environments[1].dns = { domain: 'example.com', hostedZoneId: 'Z0STAGING0000000000' };
      const main = s.apps[0];
      s.apps = [
        { ...main, name: 'web-api', host: 'a.example.com', ci: { ...main.ci, repository: 'a' } },
        { ...main, name: 'api', host: 'b.example.com', ci: { ...main.ci, repository: 'b' } },
      ];
      s.environments[0].apps = [{ name: 'web-api', host: 'a.staging.example.com' }, { name: 'api', host: 'b.staging.example.com' }];
      s.environments[1].apps = [];
    });
    expect(problems).toEqual([
      "apps[1].name: makes IAM role 'shop-eu-web-api-external-secrets' both the role of ServiceAccount api/api-secrets-reader of app 'api' in environment 'eu-web' " +
        "and the role of ServiceAccount web-api/web-api-secrets-reader of app 'web-api' in environment 'eu' (apps[0].name), in account 111111111111: " +
        "derived names join their parts with '-', so these collide; rename one of them",
    ]);
  });

  test('apps web and web-api in one namespace: a collision of web-api\'s role names web-api, not web', () => {
    // web-api's ServiceAccounts (web-api-...) start with 'web-' too: the role's app is its owner, not a name prefix.
    const problems = spec((s) => {
      s.environments[0].name = 'eu';
      s.environments[1].name = 'eu-web';
      s.registry.environment = 'eu';
      s.environments[1].aws.account = s.environments[0].aws.account;
      s.environments[1].dns = { domain: 'example.com', hostedZoneId: 'Z0STAGING0000000000' };
      const main = s.apps[0];
      s.apps = [
        { ...main, name: 'web', namespace: 'shop', host: 'w.example.com', ci: { ...main.ci, repository: 'w' } },
        { ...main, name: 'web-api', namespace: 'shop', host: 'a.example.com', ci: { ...main.ci, repository: 'a' } },
        { ...main, name: 'api', host: 'b.example.com', ci: { ...main.ci, repository: 'b' } },
      ];
      s.environments[0].apps = [
        { name: 'web', host: 'w.staging.example.com' },
        { name: 'web-api', host: 'a.staging.example.com' },
        { name: 'api', host: 'b.staging.example.com' },
      ];
      s.environments[1].apps = [];
    });
    // Two apps in one namespace are refused on their own; the collision is still reported, at the right apps.
    expect(problems).toEqual([
      "apps[1].namespace: 'shop' is already the namespace of apps[0]; each application needs its own namespace",
      "apps[2].name: makes IAM role 'shop-eu-web-api-external-secrets' both the role of ServiceAccount api/api-secrets-reader of app 'api' in environment 'eu-web' " +
        "and the role of ServiceAccount shop/web-api-secrets-reader of app 'web-api' in environment 'eu' (apps[1].name), in account 111111111111: " +
        "derived names join their parts with '-', so these collide; rename one of them",
    ]);
  });

  test('why: without the rule, that spec crashes the manifests (cdk8s refuses two constructs of one name)', () => {
    const s = twoEnvironmentsSpec();
    s.environments[0].name = 'updater';
    s.registry.environment = 'updater';
    s.apps[0].name = 'argocd-image';
    for (const e of s.environments) for (const a of e.apps) a.name = 'argocd-image';
    // Resolved without validation, as the stacks and charts would see it.
    const platforms = resolveEnvironments(s, (view) => view.spec.aws.account!, BUILT_IN_ADDONS);
    expect(() => ManifestRepository.forEnvironments(platforms).manifestFiles()).toThrow(/There is already a Construct with name 'argocd-image-updater'/);
  });

  test('a first environment updater with app argocd-image: the Image Updater\'s Application', () => {
    const problems = spec((s) => {
      s.environments[0].name = 'updater';
      s.registry.environment = 'updater';
      s.apps[0].name = 'argocd-image';
      for (const e of s.environments) for (const a of e.apps) a.name = 'argocd-image';
    });
    expect(problems).toEqual([expect.stringMatching(/^apps\[0\]\.name: makes Argo CD Application 'argocd-image-updater' both the Application of app 'argocd-image' in environment 'updater' and a platform Application/)]);
  });

  test('with a hub, an environment root and an app named like another environment\'s root Application', () => {
    const problems = spec((s) => {
      s.argocd = { managed: true, hub: 'staging', identityCenter: IDENTITY_CENTER };
      s.environments[1].name = 'root';
      s.apps[0].name = 'shop-staging';
      for (const e of s.environments) for (const a of e.apps) a.name = 'shop-staging';
    });
    expect(problems).toEqual([expect.stringMatching(/^apps\[0\]\.name: makes Argo CD Application 'shop-staging-root' both the Application of app 'shop-staging' in environment 'root' and environment 'staging''s root app-of-apps/)]);
  });

  // An app's secrets Application is `<its Application>-secrets`; with environments an app's
  // Application is `<app>-<environment>`, so its secrets Application is `<app>-<environment>-secrets`.
  const secretsApp = (s: any, name: string) => {
    s.apps.push({ name, host: 'x.example.com', ci: { repository: 'x', repositoryId: '3' }, containers: [{ name: 'x', port: 80 }] });
    for (const e of s.environments) if (e.apps?.[0]?.host) e.apps.push({ name, host: `x-${e.apps[0].host}` });
  };

  test('with environments, an app named main-secrets beside main is valid: its Applications are main-secrets-<environment>', () => {
    expect(spec((s) => secretsApp(s, 'main-secrets'))).toEqual([]);
  });

  test('with environments, an app whose Application is another app\'s secrets Application is refused, naming both', () => {
    // Environment 'secrets': app main-secrets's Application there is main-secrets-secrets, main's secrets Application too.
    const problems = spec((s) => {
      s.environments[1].name = 'secrets';
      secretsApp(s, 'main-secrets');
    });
    expect(problems).toEqual([
      "apps[1].name: makes Argo CD Application 'main-secrets-secrets' both the Application of app 'main-secrets' in environment 'secrets' " +
        "and the secrets of app 'main' in environment 'secrets' (apps[0].name), in the Argo CD of environment 'secrets': " +
        "derived names join their parts with '-', so these collide; rename one of them",
    ]);
  });

  test('an app stack that is another environment\'s platform stack', () => {
    const problems = spec((s) => {
      s.environments[0].name = 'eu';
      s.registry.environment = 'eu';
      s.environments[1].name = 'eu-web';
      s.apps[0].stack = 'web-platform';
    });
    expect(problems).toEqual([expect.stringMatching(/^environments\[1\]\.name: makes stack 'shop-eu-web-platform' both the platform stack in environment 'eu-web' and the stack of app 'main' in environment 'eu' \(apps\[0\]\.stack\)/)]);
  });

  test('an app named argocd would read the manifest repository\'s credentials', () => {
    const problems = spec((s) => {
      s.apps[0].name = 'argocd';
      s.apps[0].namespace = 'web';
      for (const e of s.environments) for (const a of e.apps) a.name = 'argocd';
    });
    expect(problems).toEqual([expect.stringMatching(/^apps\[0\]\.name: 'argocd' is reserved: the platform's own secrets are under <platform>\/argocd\//)]);
  });

  test.each(['no', 'on', 'off', 'yes'])('an environment named %s (a YAML 1.1 boolean in kustomization.yaml)', (name) => {
    expect(spec((s) => (s.environments[1].name = name))).toEqual([expect.stringMatching(new RegExp(`^environments\\[1\\]\\.name: '${name}' is read as a boolean or null by kustomize`))]);
  });

  test('why: kustomize reads an unquoted env label value no as a boolean (kubectl kustomize fails), quoted as a string', () => {
    const dir = mkdtempSync(join(tmpdir(), 'yaml11-'));
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const build = (value: string) => {
      // As the overlays write it (lib/output/yaml.ts stringifies YAML 1.2, where no is a string).
      writeFileSync(join(dir, 'kustomization.yaml'), toYaml({ resources: ['cm.yaml'], labels: [{ pairs: { env: value }, includeSelectors: false }] }));
      return spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
    };
    expect(toYaml({ env: 'no' })).toBe('env: no\n');
    expect(build('no').status).not.toBe(0);
    expect(build('no').stderr).toMatch(/bool/);
    expect(build('staging').status).toBe(0);
  });

  test.each([
    ['a single environment', (s: any) => (s.environment = 'off'), 'environment'],
    ['a namespace', (s: any) => (s.apps[0].namespace = 'yes'), 'apps[0].namespace'],
  ])('%s read as a YAML 1.1 boolean', (_name, mutate, path) => {
    const s = sandboxSpec();
    mutate(s);
    expect(validateSpec(s, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: '(off|yes)' is read as a boolean or null by kustomize`))]);
  });

  test('the longest names: an Application label over 63 characters', () => {
    const problems = spec((s) => {
      s.environments[1].name = 'p'.repeat(20);
      s.apps[0].name = 'a'.repeat(40);
      for (const e of s.environments) for (const a of e.apps) a.name = 'a'.repeat(40);
    });
    expect(problems).toEqual([expect.stringMatching(/^apps\[0\]\.name: gives the Argo CD Application 'a{40}-p{20}-secrets' \(69 characters\), whose label app.kubernetes.io\/name allows 63/)]);
  });
});
