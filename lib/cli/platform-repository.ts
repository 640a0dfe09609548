import * as cxapi from 'aws-cdk-lib/cx-api';
import { stringify } from 'yaml';
import { DEFAULT_PLATFORM_SPEC } from '../app/app-options';
import { FEATURE_FLAGS } from '../app/cdk-app';
import { DEFAULT_MANIFESTS_DIR, DEFAULT_WORKFLOWS_DIR } from '../app/manifests-app';
import { DEFAULT_KUBERNETES_VERSION } from '../model/kubernetes-versions';
import type { GeneratedFile } from '../output/generated-file';

/** What `init` asks about the new platform; everything else in the starter spec is a default or a placeholder. */
export interface StarterOptions {
  /** The platform name (`name`): prefixes every physical name. */
  readonly name: string;
  /** The GitHub owner of the application and manifest repositories (`github.owner`). */
  readonly owner: string;
  /** The AWS region (`aws.region`). */
  readonly region: string;
  /** The domain ExternalDNS manages (`dns.domain`); the application is served at `<name>.<domain>`. */
  readonly domain: string;
}

/** The package and the versions a platform repository depends on. */
export interface RepositoryPackages {
  /**
   * This package: its name, its version, and how the repository's package.json depends on it: a
   * version from the registry, or `file:` a tarball inside the repository (`init --package`).
   */
  readonly self: { readonly name: string; readonly version: string; readonly dependency: string };
  /** Exact versions of the peer dependencies and the two CLIs, by package name. */
  readonly versions: { readonly [name: string]: string };
  /** The Node versions the package supports (its `engines.node`). */
  readonly node: string;
}

/** The spec of a platform repository, at its root. */
export const SPEC_FILE = DEFAULT_PLATFORM_SPEC;

/**
 * Where `init --package` puts the package's tarball, inside the repository: a `file:` dependency on
 * a path inside it still resolves in every clone (a path outside it, or an absolute one, does not).
 */
export const VENDOR_DIR = 'vendor';

/** The ignore file, which `init` extends rather than replaces. */
export const GITIGNORE = '.gitignore';

/** What a platform repository's `.gitignore` holds: the dependencies and the three build outputs. */
export const IGNORED = ['node_modules/', '/cdk.out/', `/${DEFAULT_MANIFESTS_DIR}/`, `/${DEFAULT_WORKFLOWS_DIR}/`];

/** The packages a platform repository runs with: the package's peers, cdk-nag (the default checks). */
export const RUNTIME_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-28', '@aws-cdk/lambda-layer-kubectl-v35', '@aws-cdk/lambda-layer-kubectl-v36', 'cdk-nag'];

/** The CLIs a platform repository uses besides this package's own. */
export const TOOL_PACKAGES = ['aws-cdk', 'cdk8s-cli'];

/**
 * The placeholders of the starter spec: values that pass validation but are not the user's, each with
 * the field it is in. `init` lists them; a deploy with them would trust and manage the wrong things.
 */
export const PLACEHOLDERS = ['github.ownerId', 'apps[0].ci.repositoryId', 'dns.hostedZoneId'];

/** The placeholder values of the starter spec, which `validate` warns about while they are still there. */
export const PLACEHOLDER_VALUES = { ownerId: '100000001', repositoryId: '200000001', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } as const;

/** A YAML scalar for a value given on the command line: plain when that reads back the same, quoted otherwise. */
function scalar(value: string): string {
  return stringify(value).trimEnd();
}

/**
 * The starter `platform.yaml`: the sandbox example's shape with the user's name, owner, region and
 * domain, commented field by field, with the optional parts shown commented out.
 */
export function starterSpec(o: StarterOptions): string {
  const name = scalar(o.name);
  return `# yaml-language-server: $schema=./node_modules/cdk-eks-gitops/platform.schema.json
#
# The platform spec: the cluster, its GitOps setup and the applications it runs, in one file.
#   npx cdk-eks-gitops validate   every problem at once, offline
#   npx cdk-eks-gitops synth      CloudFormation (cdk.out/), the manifest tree (dist/), workflows (ci.out/)
# Every field, its default and what is allowed:
#   https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/spec-reference.md#reference
# Three values below are placeholders that validate but are not yours: ${PLACEHOLDERS.join(', ')}.

# Prefixes every physical name: the cluster, IAM roles, ECR repositories (a DNS label, at most 20 characters).
name: ${name}
# The overlay directory of every application: <app>/overlays/<environment>/.
environment: production

aws:
  region: ${scalar(o.region)}
  # The account to deploy to. Without it, synth takes CDK_DEFAULT_ACCOUNT or AWS_ACCOUNT_ID, else
  # asks STS with your AWS credentials.
  # account: "123456789012"

cluster:
  version: "${DEFAULT_KUBERNETES_VERSION}"
  nodes:
    instanceTypes: [t3.medium]
    minSize: 2
    maxSize: 4
  # Roles that may run kubectl (cluster-admin through an EKS access entry): yours and your pipeline's.
  # Without one, nobody but CloudFormation can use the cluster's API, and synth warns.
  # adminRoleArns:
  #   - arn:aws:iam::123456789012:role/platform-admin

github:
  owner: ${scalar(o.owner)}
  # Placeholder: GitHub's numeric owner id, which OIDC tokens of repositories created since
  # 15 July 2026 carry (gh api repos/${o.owner}/${o.name}-app --jq .owner.id).
  ownerId: "${PLACEHOLDER_VALUES.ownerId}"
  # The repository Argo CD syncs: write the manifest tree into a checkout of it with
  # npx cdk-eks-gitops manifests --into ../${o.name}-manifests
  manifestRepository:
    name: ${scalar(`${o.name}-manifests`)}
    branch: main
    # Private: Argo CD reads it with a GitHub App whose keys you store in Secrets Manager under
    # ${o.name}/argocd/manifest-repository, as the deploy runbook says:
    # https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#1-before-the-first-deploy
    access: private
    credentials:
      type: github-app

dns:
  domain: ${scalar(o.domain)}
  # Placeholder: the public Route 53 hosted zone of the domain
  # (aws route53 list-hosted-zones-by-name --dns-name ${o.domain} --query 'HostedZones[0].Id').
  hostedZoneId: ${PLACEHOLDER_VALUES.hostedZoneId}

apps:
  - name: main
    # Under dns.domain; an ACM certificate covering it must exist in the region.
    host: ${scalar(`${o.name}.${o.domain}`)}
    ci:
      # The application repository under github.owner; a release tag matching tagPatterns builds
      # and pushes its images to ECR.
      repository: ${scalar(`${o.name}-app`)}
      # Placeholder: its numeric id (gh api repos/${o.owner}/${o.name}-app --jq .id).
      repositoryId: "${PLACEHOLDER_VALUES.repositoryId}"
      tagPatterns: ["v*"]
    # How a new release reaches the cluster: image-updater, pull-request or argocd-cli.
    delivery: image-updater
    containers:
      - name: app
        port: 8080
        # The first tag deployed: push it before the manifests (latest is refused).
        tag: v0.0.1
    ingress:
      container: app
      healthCheckPath: /
    # Settings from a Secrets Manager secret (${o.name}/main/app-secrets), as environment variables:
    # secret:
    #   name: app-secrets
    #   keys: [password]
    # and under the container: secretEnv: { DB_PASSWORD: password }
    #
    # A migration run before every rollout, with the same image tag:
    # migration:
    #   command: ["/app/migrate"]
`;
}

/**
 * The feature flags the constructs are tested with: the package's own (`FEATURE_FLAGS`), and every
 * other flag of aws-cdk-lib at the value it has when it is not set, which is what the tests run
 * with. Written out, so that the CDK CLI, which counts every flag left unset whose recommended value
 * differs ("81 feature flags are not configured"), has nothing to report, and the templates stay
 * those the tests check. `@aws-cdk/core:target-partitions` has no unset value to write: it takes its
 * recommended one, which changes nothing here (it only matters to stacks without a region, and every
 * stack of a platform names its region).
 */
export function testedFeatureFlags(): { [key: string]: unknown } {
  const flags: { [key: string]: unknown } = { ...FEATURE_FLAGS };
  for (const [name, flag] of Object.entries(cxapi.FLAGS)) {
    if (name in flags || cxapi.CURRENT_VERSION_EXPIRED_FLAGS.includes(name)) continue;
    const unset = flag.unconfiguredBehavesLike?.v2 ?? (typeof flag.recommendedValue === 'boolean' ? false : flag.recommendedValue);
    if (unset !== flag.recommendedValue) flags[name] = unset;
    else if (name === cxapi.TARGET_PARTITIONS) flags[name] = flag.recommendedValue;
  }
  return flags;
}

/** `cdk.json`: the CDK app on plain node, and the feature flags the constructs are tested with. */
function cdkJson(): string {
  return `${JSON.stringify({ app: 'node app.js', output: 'cdk.out', context: testedFeatureFlags() }, null, 2)}\n`;
}

const CDK8S_YAML = `# The cdk8s app: npx cdk8s synth --no-check-upgrade writes the manifest tree to ${DEFAULT_MANIFESTS_DIR}/, which it
# empties first. Never point -o at a checkout: write one with npx cdk-eks-gitops manifests --into DIR.
language: typescript
app: node manifests.js
output: ${DEFAULT_MANIFESTS_DIR}
imports: []
`;

const APP_JS = `// The CDK app (cdk.json): npx cdk synth, npx cdk deploy --all. It reads ${SPEC_FILE} (another spec:
// -c spec=FILE), takes the AWS account from the spec, the environment or STS, and checks every stack
// with cdk-nag (-c nag=false skips it). npx cdk-eks-gitops synth runs it and the manifests in one process.
require('cdk-eks-gitops').PlatformCdkApp.run();
`;

const MANIFESTS_JS = `// The cdk8s app (cdk8s.yaml): npx cdk8s synth --no-check-upgrade writes the manifest tree to ${DEFAULT_MANIFESTS_DIR}/ and
// the application repositories' release workflows to ${DEFAULT_WORKFLOWS_DIR}/. It reads ${SPEC_FILE} (another spec:
// PLATFORM_SPEC=FILE).
require('cdk-eks-gitops').PlatformManifestsApp.run();
`;

/** `package.json`: the package, its peers and cdk-nag, and the two CLIs, at the versions the package is tested with. */
function packageJson(o: StarterOptions, packages: RepositoryPackages): string {
  const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, packages.versions[n]]));
  const manifest = {
    name: o.name,
    private: true,
    description: `The ${o.name} platform: its spec, and the apps that turn it into CloudFormation and the manifest repository`,
    scripts: {
      validate: 'cdk-eks-gitops validate',
      synth: 'cdk-eks-gitops synth',
      deploy: 'cdk deploy --all',
    },
    dependencies: { [packages.self.name]: packages.self.dependency, ...pick(RUNTIME_PACKAGES) },
    devDependencies: pick(TOOL_PACKAGES),
    engines: { node: packages.node },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The lines a `.gitignore` needs that `existing` (its current content, if any) lacks. */
export function missingIgnores(existing: string | undefined): string[] {
  const present = new Set((existing ?? '').split(/\r?\n/).map((line) => line.trim()));
  return IGNORED.filter((line) => !present.has(line));
}

/**
 * The files of a new platform repository, `.gitignore` aside (it is merged into an existing one):
 * the spec, the two apps' configuration and entry points, and the package manifest.
 */
export function platformRepositoryFiles(o: StarterOptions, packages: RepositoryPackages): GeneratedFile[] {
  return [
    { path: SPEC_FILE, content: starterSpec(o) },
    { path: 'cdk.json', content: cdkJson() },
    { path: 'cdk8s.yaml', content: CDK8S_YAML },
    { path: 'app.js', content: APP_JS },
    { path: 'manifests.js', content: MANIFESTS_JS },
    { path: 'package.json', content: packageJson(o, packages) },
  ];
}
