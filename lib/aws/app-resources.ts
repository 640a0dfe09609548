import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubActionsRole } from './github-actions-role';
import { ImageRepository } from './image-repository';
import { IrsaRole } from './irsa-role';
import { acknowledgeNagFindings, wildcardFinding } from './nag';
import { externalDnsStatements, externalSecretsStatements, permissionStatements } from './platform-policies';
import { outputPrefix } from '../spec/naming';
import type { ResolvedApp, ResolvedPlatform, ServiceAccountRole } from '../spec/resolved';
import { SecretBackend, SubjectFormat } from '../spec/types';

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
 * ExternalDNS, and the migration Job when the spec gives it permissions), named as the manifests
 * expect. The cdk-nag findings of the permissions it gives (the secret prefix wildcard, actions
 * without resource-level permissions) are acknowledged on each role with their reasons.
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
        ...(app.ci.subjectFormat === SubjectFormat.IMMUTABLE ? { ownerId: app.ci.ownerId, repositoryId: app.ci.repositoryId } : {}),
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
    if (app.migration?.role) {
      irsa('migration', app.migration.role, permissionStatements(app.migration.permissions));
      // Wildcards a spec asks for are the spec's: acknowledged, each by the field that gives it.
      const wildcards = app.migration.permissions.flatMap((p) => p.resources).filter((r) => r.includes('*'));
      if (wildcards.length) {
        acknowledgeNagFindings(
          this.irsaRoles.migration.role.node.defaultChild,
          wildcards.map(wildcardFinding),
          `apps[].migration.permissions of ${app.name} grants these resources in the platform spec.`,
        );
      }
    }

    const prefix = app.outputPrefix;
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

