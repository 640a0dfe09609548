import { ArgoCdMode } from '../argocd-mode';
import { CONTROLLER_DEFAULTS } from '../controllers';
import { partitionOf, roleArn } from '../naming';
import type { ResolvedApp, ResolvedPlatform, ResolvedPromotionRole, ResolvedResources } from '../resolved';
import { show } from '../shape';
import type { ControllerSpec } from '../types';
import type { AddProblem, EnvironmentInput, LocatedPlatform } from './input';
import { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, githubOidcProviderArnFor, githubSubjects } from '../github-subjects';

/**
 * The rules on what AWS accepts of a template: one partition, the documented size limits of IAM
 * policies, one access entry per principal, and no permission that lets a role widen its own.
 */

/**
 * IAM's default quota "Role trust policy length" (IAM user guide, "IAM and AWS STS quotas"): 2,048
 * characters, not counting white space; adjustable in Service Quotas (L-C07B4B0D), which a template
 * cannot know, so a trust policy above the default fails the deploy of an account that kept it.
 */
export const MAX_TRUST_POLICY_LENGTH = 2048;

/**
 * IAM's limit on the aggregate size of a role's inline policies ("IAM and AWS STS quotas": role
 * policy size, 10,240 characters, not counting white space, not adjustable). The migration role's
 * permissions are one inline policy (`IrsaRole`/`PodIdentityRole` embed their statements).
 */
export const MAX_ROLE_INLINE_POLICY_LENGTH = 10240;

/**
 * IAM actions that let a role change its own or another principal's permissions, or hand itself
 * credentials: with any of them a migration could make itself an administrator. Read actions
 * (Get*, List*, Simulate*, Generate*) are not among them.
 */
const IAM_READ_ACTION = /^iam:(Get|List|Simulate|Generate)[A-Za-z]*$/i;

/** A CPU quantity (`250m`, `0.5`, the forms `cluster.controllers` allows) in millicores. */
function cpuMillicores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

const MEMORY_UNITS: { readonly [suffix: string]: number } = { '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40 };

/** A memory quantity (`128Mi`, `1G`, `512`, the forms `cluster.controllers` allows) in bytes. */
function memoryBytes(quantity: string): number {
  const [, amount, suffix] = /^([\d.]+)(.*)$/.exec(quantity) ?? [];
  return Number(amount) * (MEMORY_UNITS[suffix ?? ''] ?? NaN);
}

/** A policy document's size as IAM counts it: its JSON without white space. */
export function policySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

/**
 * The trust policy of an app's CI role as `GitHubActionsRole` writes it: `StringEquals` on the
 * audience and the exact subjects, and a second statement with `StringLike` for the tag patterns.
 */
export function ciTrustPolicy(platform: ResolvedPlatform, app: ResolvedApp): unknown {
  const { ci } = app;
  const subjects = githubSubjects({
    owner: ci.repository.owner,
    repository: ci.repository.name,
    ...(ci.subjectFormat === 'immutable' ? { ownerId: ci.ownerId, repositoryId: ci.repositoryId } : {}),
    tagPatterns: ci.tagPatterns,
    branches: ci.branches,
    environments: ci.environments,
    pullRequests: ci.pullRequests,
  });
  const provider = githubOidcProviderArnFor(platform.github, partitionOf(platform.images.region), platform.images.account);
  const audience = { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE };
  const statement = (condition: unknown) => ({ Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition, Effect: 'Allow', Principal: { Federated: provider } });
  const one = <T>(values: T[]) => (values.length === 1 ? values[0] : values);
  return {
    Statement: [
      ...(subjects.exact.length ? [statement({ StringEquals: { ...audience, [`${GITHUB_OIDC_HOST}:sub`]: one(subjects.exact) } })] : []),
      ...(subjects.patterns.length ? [statement({ StringEquals: audience, StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: one(subjects.patterns) } })] : []),
    ],
    Version: '2012-10-17',
  };
}

/** The size of an app's CI trust policy, or undefined for subjects refused by the rules of `ci` (reported there). */
function trustPolicySize(platform: ResolvedPlatform, app: ResolvedApp): number | undefined {
  try {
    return policySize(ciTrustPolicy(platform, app));
  } catch {
    return undefined;
  }
}

/** The migration role's inline policy as the stacks write it. */
export function migrationPolicy(app: ResolvedApp): unknown {
  const permissions = app.migration?.role?.permissions ?? [];
  const one = <T>(values: T[]) => (values.length === 1 ? values[0] : values);
  return {
    Statement: permissions.map((p) => ({ Action: one(p.actions), Effect: 'Allow', Resource: one(p.resources), Sid: p.sid })),
    Version: '2012-10-17',
  };
}

/**
 * The promotion role's inline policy as `PromotionRole` writes it (`GitHubActionsRole` with pull-only
 * repositories): the ECR login on `*`, and the two pull actions on every signing app's repositories.
 */
export function promotionPolicy(role: ResolvedPromotionRole): unknown {
  const one = <T>(values: T[]) => (values.length === 1 ? values[0] : values);
  return {
    Statement: [
      { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*', Sid: 'EcrLogin' },
      { Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: one(role.repositoryArns), Sid: 'PullImages' },
    ],
    Version: '2012-10-17',
  };
}

/**
 * The promotion role (in the environment that holds the images) names every repository of each
 * signing application in one inline policy, which must fit IAM's limit.
 */
export function checkPromotionRole({ platform }: EnvironmentInput, add: AddProblem): void {
  const role = platform.images.promotionRole;
  if (!platform.images.holdsRepositories || !role) return;
  const size = policySize(promotionPolicy(role));
  if (size > MAX_ROLE_INLINE_POLICY_LENGTH) {
    add(
      'apps',
      `the applications that sign their images have ${role.repositoryArns.length} repositories, which make an inline policy of ${size} characters for the promotion role ${show(role.roleName)}, ` +
        `which reads them to verify the images it promotes; IAM allows a role ${MAX_ROLE_INLINE_POLICY_LENGTH} characters of inline policies (not adjustable): split the applications into platforms of fewer`,
    );
  }
}

/**
 * The rules of one environment, as `spec` (the environment's view) and `platform` (its resolution)
 * describe it. Paths are the spec's; the caller moves them to an environment's override.
 */
export function checkLimits({ spec, platform, apps }: EnvironmentInput, add: AddProblem): void {
  const partition = platform.partition;
  const partitionOfArn = (arn: string) => arn.split(':')[1];
  const samePartition = (path: string, arn: string | undefined, what: string) => {
    if (arn !== undefined && partitionOfArn(arn) !== partition) {
      add(path, `${show(arn)} is in partition ${partitionOfArn(arn)}, but ${what} is in ${partition} (region ${platform.region}); AWS partitions share no IAM principals or resources, so use an ARN of ${partition}`);
    }
  };

  // IAM principals and resources of another partition cannot be named.
  const imagesPartition = partitionOf(platform.images.region);
  const providerArn = spec.github.oidcProviderArn;
  if (platform.images.holdsRepositories && providerArn !== undefined && partitionOfArn(providerArn) !== imagesPartition) {
    add('github.oidcProviderArn', `${show(providerArn)} is in partition ${partitionOfArn(providerArn)}, but the CI roles are in ${imagesPartition} (region ${platform.images.region}); use the provider of that account`);
  }
  const identityCenter = spec.argocd?.identityCenter?.instanceArn;
  if (platform.argocd.mode === ArgoCdMode.MANAGED) samePartition('argocd.identityCenter.instanceArn', identityCenter, 'the managed Argo CD');

  const admins = platform.cluster.adminRoleArns;
  const hubRole = platform.argocd.hub?.role.roleArn;
  const nodeRole = platform.cluster.nodeRoleName ? roleArn(partition, platform.account, platform.cluster.nodeRoleName) : undefined;
  admins.forEach((arn, i) => {
    const path = `cluster.adminRoleArns[${i}]`;
    samePartition(path, arn, 'the cluster');
    const first = admins.findIndex((other) => other.toLowerCase() === arn.toLowerCase());
    if (first !== i) {
      add(path, `${show(arn)} is already cluster.adminRoleArns[${first}]; an EKS cluster has one access entry per principal, so the second fails the deploy: list it once`);
    } else if (arn === hubRole) {
      add(
        path,
        `${show(arn)} is the role of the hub's Argo CD, which has an access entry of its own here (scoped to the platform's namespaces); a second entry for the same principal fails the deploy: remove it`,
      );
    } else if (arn === nodeRole) {
      add(path, `${show(arn)} is the cluster's node role, whose access entry (type EC2) EKS manages; a second entry for it fails the deploy and would make every pod on the nodes a cluster admin: remove it`);
    }
  });

  // Kubernetes refuses a container whose request is above its limit ("must be less than or equal to
  // ... limit", the API server's validation of resources): the chart's release would fail on the
  // cluster. Raising only a request past the workload's default limit is the way to get there.
  for (const [key, controller] of Object.entries(platform.cluster.controllers)) {
    const given = (spec.cluster?.controllers as { [key: string]: ControllerSpec | undefined } | undefined)?.[key] ?? {};
    const { requests, limits } = controller.resources;
    for (const [resource, field, amount] of [['cpu', 'cpu', cpuMillicores], ['memory', 'memory', memoryBytes]] as const) {
      const request = requests[resource];
      const limit = limits[resource];
      if (request === undefined || limit === undefined || !(amount(request) > amount(limit))) continue;
      const requestField = `${field}Request`;
      const limitField = `${field}Limit`;
      const blamed = given[requestField as keyof ControllerSpec] !== undefined ? requestField : limitField;
      add(
        `cluster.controllers.${key}.${blamed}`,
        `makes the ${resource} request ${show(request)} of ${CONTROLLER_DEFAULTS[key as keyof typeof CONTROLLER_DEFAULTS]?.workload ?? key} larger than its limit ${show(limit)}` +
          `${given[limitField as keyof ControllerSpec] === undefined ? " (the workload's default)" : ''}; Kubernetes refuses a container whose request exceeds its limit: ` +
          `give ${limitField} at least ${show(request)}, or a smaller ${requestField}`,
      );
    }
  }

  for (const { app, path } of apps) {
    samePartition(`${path}.ingress.certificateArn`, app.ingress.certificateArn, 'the load balancer');

    // The same refusal of the API server for the application's containers and its migration Job:
    // their defaults (limits 400m and 128Mi) are low enough that raising a request alone passes them.
    const pods: [string, ResolvedResources][] = app.containers.map((c, k) => [`${path}.containers[${k}].resources`, c.resources]);
    if (app.migration) pods.push([`${path}.migration.resources`, app.migration.resources]);
    for (const [where, r] of pods) {
      for (const [resource, request, limit, amount] of [
        ['cpu', r.cpuRequest, r.cpuLimit, cpuMillicores],
        ['memory', r.memoryRequest, r.memoryLimit, memoryBytes],
      ] as const) {
        if (amount(request) > amount(limit)) {
          add(
            `${where}.${resource}Request`,
            `${show(request)} is larger than the ${resource} limit ${show(limit)}; Kubernetes refuses a container whose request exceeds its limit: ` +
              `give ${resource}Limit at least ${show(request)}, or a smaller ${resource}Request`,
          );
        }
      }
    }

    if (platform.images.holdsRepositories) {
      const size = trustPolicySize(platform, app);
      if (size !== undefined && size > MAX_TRUST_POLICY_LENGTH) {
        add(
          `${path}.ci`,
          `gives the CI role ${show(app.ci.role.roleName)} a trust policy of ${size} characters; IAM's quota 'Role trust policy length' is ${MAX_TRUST_POLICY_LENGTH} ` +
            'unless raised in Service Quotas, and the deploy fails above it: use fewer tag patterns, branches or environments (a pattern such as v* covers many tags)',
        );
      }
    }

    const role = app.migration?.role;
    if (!role) continue;
    role.permissions.forEach((permission, i) => {
      permission.actions.forEach((action, j) => {
        if (/^iam:/i.test(action) && !IAM_READ_ACTION.test(action)) {
          add(
            `${path}.migration.permissions[${i}].actions[${j}]`,
            `${show(action)} lets the migration role change IAM permissions (attach or write policies, pass or create roles and credentials), so it could grant itself any permission; a migration needs no IAM write action: remove it`,
          );
        }
      });
      permission.resources.forEach((resource, j) => samePartition(`${path}.migration.permissions[${i}].resources[${j}]`, resource, 'the migration role'));
    });
    const size = policySize(migrationPolicy(app));
    if (size > MAX_ROLE_INLINE_POLICY_LENGTH) {
      add(
        `${path}.migration.permissions`,
        `make an inline policy of ${size} characters for the migration role ${show(role.roleName)}; IAM allows a role ${MAX_ROLE_INLINE_POLICY_LENGTH} characters of inline policies (not adjustable): combine resources with a shared prefix, or fewer permissions`,
      );
    }
  }
}

/** Every environment in one partition: images, roles and the hub's access reach no other partition. */
export function checkPartitions(located: readonly LocatedPlatform[], add: AddProblem): void {
  const registry = located.find((l) => l.platform.images.holdsRepositories) ?? located[0];
  if (!registry) return;
  const partition = registry.platform.partition;
  for (const { platform, environmentPath } of located) {
    if (platform.partition === partition) continue;
    add(
      environmentPath.replace(/\.name$/, '.aws.region'),
      `${show(platform.region)} is in partition ${platform.partition}, but the images are in ${partition} (environment ${show(registry.platform.environment)}, ${registry.platform.region}); ` +
        'no IAM principal or ECR repository is shared across partitions: give this environment a region of that partition, or a platform of its own',
    );
  }
}
