import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubActionsRole } from './github-actions-role';
import { ImageRepository } from './image-repository';
import { IrsaRole } from './irsa-role';
import { acknowledgeNagFindings, ECR_LOGIN_REASON, wildcardFinding } from './nag';
import { externalDnsStatements, externalSecretsStatements, pullStatements } from './platform-policies';
import type { ResolvedApp, ResolvedPlatform, ServiceAccountRole } from '../spec/resolved';
import { SecretBackend } from '../spec/types';

/** Properties of `AppResources`. */
export interface AppResourcesProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application. */
  readonly app: ResolvedApp;
  /** The cluster's OIDC provider, which the IRSA roles trust. */
  readonly clusterOidcProvider: iam.IOpenIdConnectProvider;
  /** The GitHub Actions OIDC provider the CI role trusts, of either IAM provider interface. */
  readonly githubOidcProvider: iam.IOidcProvider | iam.IOpenIdConnectProvider;
}

/**
 * Everything one application needs in AWS: an ECR repository per image, the CI role its build
 * workflow assumes (push to those repositories only), and its IRSA roles (External Secrets,
 * ExternalDNS, the migration Job), named as the manifests expect. The cdk-nag findings of the
 * permissions it gives (the secret prefix wildcard, actions without resource-level permissions) are
 * acknowledged on each role with their reasons.
 */
export class AppResources extends Construct {
  /** The ECR repositories, by container name (and `migration`). */
  public readonly repositories: { [name: string]: ImageRepository } = {};
  /** The CI role. */
  public readonly ciRole: GitHubActionsRole;
  /** The IRSA roles, by purpose: `external-secrets`, `external-dns`, `migration`. */
  public readonly irsaRoles: { [purpose: string]: IrsaRole } = {};

  constructor(scope: Construct, id: string, props: AppResourcesProps) {
    super(scope, id);
    const { platform, app } = props;

    for (const container of app.containers) {
      this.repositories[container.name] = new ImageRepository(this, `Repository-${container.name}`, {
        repositoryName: container.image.repositoryName,
      });
    }
    if (app.migration) {
      this.repositories.migration = new ImageRepository(this, 'Repository-migration', { repositoryName: app.migration.image.repositoryName });
    }

    this.ciRole = new GitHubActionsRole(this, 'CiRole', {
      provider: props.githubOidcProvider,
      roleName: app.ci.role.roleName,
      subjects: {
        owner: app.ci.repository.owner,
        repository: app.ci.repository.name,
        ownerId: app.ci.repositoryId !== undefined ? platform.github.ownerId : undefined,
        repositoryId: app.ci.repositoryId,
        tagPatterns: app.ci.tagPatterns,
        branches: app.ci.branches,
        environments: app.ci.environments,
        pullRequests: app.ci.pullRequests,
      },
      pushRepositories: Object.values(this.repositories).map((r) => r.repository),
    });

    const irsa = (purpose: string, binding: ServiceAccountRole, statements: iam.PolicyStatement[]) => {
      this.irsaRoles[purpose] = new IrsaRole(this, `Irsa-${purpose}`, {
        oidcProvider: props.clusterOidcProvider,
        namespace: binding.namespace,
        serviceAccountName: binding.serviceAccountName,
        roleName: binding.roleName,
        statements,
      });
    };
    if (app.secret && platform.secrets.backend === SecretBackend.SECRETS_MANAGER) {
      irsa('external-secrets', app.secret.reader, externalSecretsStatements(app.secret));
      acknowledgeNagFindings(
        this.irsaRoles['external-secrets'].role.node.defaultChild,
        [wildcardFinding(app.secret.remoteArnPattern)],
        'Secrets Manager appends a random suffix to every secret ARN; the wildcard covers only the application prefix <platform>/<app>/.',
      );
    }
    irsa('external-dns', app.externalDns, externalDnsStatements(platform.dns));
    acknowledgeNagFindings(
      this.irsaRoles['external-dns'].role.node.defaultChild,
      [wildcardFinding('*')],
      'route53:ListHostedZones has no resource-level permission; record changes are limited to the platform hosted zone.',
    );
    if (app.migration) {
      irsa('migration', app.migration.serviceAccount, pullStatements(this.repositories.migration.repository.repositoryArn));
      acknowledgeNagFindings(this.irsaRoles.migration.role.node.defaultChild, [wildcardFinding('*')], ECR_LOGIN_REASON);
    }

    const prefix = outputPrefix(app.name);
    new CfnOutput(this, 'CiRoleArn', { key: `${prefix}CiRoleArn`, value: this.ciRole.role.roleArn, description: `${app.name}: role the build workflow assumes` });
    for (const [purpose, role] of Object.entries(this.irsaRoles)) {
      new CfnOutput(this, `${outputPrefix(purpose)}RoleArn`, {
        key: `${prefix}${outputPrefix(purpose)}RoleArn`,
        value: role.role.roleArn,
        description: `${app.name}: IRSA role of ${role.subject}`,
      });
    }
  }
}

/** `my-app` → `MyApp`: output keys allow only letters and digits. */
export function outputPrefix(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
