import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledgeNagFindings } from './nag';
import type { ResolvedDatabase } from '../model/resolved';
import { DatabaseEngine } from '../model/types';

/** Properties of an `AppDatabase`. */
export interface AppDatabaseProps {
  /** The database, as the platform resolved it. */
  readonly database: ResolvedDatabase;
  /** The cluster's VPC: the database lives in its private subnets. */
  readonly vpc: ec2.IVpc;
  /**
   * The security group the application's pods send from: the EKS cluster security group, which
   * EKS attaches to the managed node group's nodes, and so to every pod that has no security group
   * of its own. Only it is admitted, on the database's port.
   */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
}

/**
 * An application's database: an Amazon Aurora Serverless v2 cluster (PostgreSQL or MySQL) in the
 * cluster VPC's private subnets, with one Serverless v2 writer. Its master password is generated into
 * a Secrets Manager secret named `<platform>/<app>/database` (the application's prefix, which only its
 * External Secrets role may read); the cluster's SecretTargetAttachment adds the connection (`host`,
 * `port`, `engine`, `dbClusterIdentifier`) beside `username`, `password` and `dbname`, so one secret
 * holds every key the application and its migration read.
 *
 * The data is kept: deletion protection on, `DeletionPolicy` and `UpdateReplacePolicy` `Snapshot`,
 * automated backups for `backupRetentionDays`, storage encrypted (with `aws/rds`, or the spec's key),
 * and the secret retained (the final snapshot's password is in it). The secret is encrypted with
 * Secrets Manager's AWS managed key `aws/secretsmanager`, whose key policy lets any principal of the
 * account decrypt through Secrets Manager that may read the secret: the reader needs no KMS grant.
 * The parameter group refuses connections without TLS, and the cluster is not publicly accessible.
 */
export class AppDatabase extends Construct {
  /** The Aurora cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The secret with the credentials and the connection. */
  public readonly secret: rds.DatabaseSecret;
  /** The database's security group. */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: AppDatabaseProps) {
    super(scope, id);
    const { database } = props;
    const postgres = database.engine === DatabaseEngine.AURORA_POSTGRESQL;
    const engine = postgres
      ? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of(database.engineVersion, database.majorVersion) })
      : rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.of(database.engineVersion, database.majorVersion) });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${database.clusterIdentifier}: ${database.engine} port ${database.port} from the EKS cluster security group only`,
      // A database answers; it opens no connection of its own.
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(props.clientSecurityGroup, ec2.Port.tcp(database.port), 'the cluster\'s pods (EKS cluster security group)');

    // Generated here rather than by the cluster so that it holds `dbname` too (the cluster's own
    // generated secret holds only the user name and password until the attachment).
    this.secret = new rds.DatabaseSecret(this, 'Secret', {
      secretName: database.secretName,
      username: database.username,
      dbname: database.databaseName,
      // Characters that need quoting in a connection URL or a shell.
      excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
    });

    // Kept when the stack is deleted or the secret replaced: the final snapshot's master password is in it.
    this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `${database.clusterIdentifier}: TLS required`,
      // Connections without TLS are refused (rds.force_ssl: PostgreSQL; require_secure_transport: MySQL).
      parameters: postgres ? { 'rds.force_ssl': '1' } : { require_secure_transport: 'ON' },
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: database.clusterIdentifier,
      credentials: rds.Credentials.fromSecret(this.secret),
      defaultDatabaseName: database.databaseName,
      port: database.port,
      writer: rds.ClusterInstance.serverlessV2('Writer', { publiclyAccessible: false, autoMinorVersionUpgrade: true }),
      serverlessV2MinCapacity: database.minCapacity,
      serverlessV2MaxCapacity: database.maxCapacity,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: database.kmsKeyArn ? kms.Key.fromKeyArn(this, 'StorageKey', database.kmsKeyArn) : undefined,
      backup: { retention: Duration.days(database.backupRetentionDays) },
      deletionProtection: true,
      copyTagsToSnapshot: true,
      iamAuthentication: true,
      // A deletion or a replacement leaves a final snapshot (DeletionPolicy and UpdateReplacePolicy).
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: postgres ? ['postgresql'] : ['error', 'general', 'slowquery', 'audit'],
    });

    acknowledgeNagFindings(
      this.secret,
      ['AwsSolutions-SMG4'],
      'The master password is read into the application\'s pods as environment variables, which a rotation would not reach until they restart; rotating it is an operator\'s step (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases).',
    );
    if (!postgres) {
      // cdk-nag's RDS11 takes 3306 for Aurora MySQL's default port (not 5432 for Aurora PostgreSQL).
      acknowledgeNagFindings(
        this.cluster,
        ['AwsSolutions-RDS11'],
        'The engine\'s default port: only the EKS cluster security group is admitted to it, and another port hides nothing from a client inside the VPC.',
      );
      acknowledgeNagFindings(
        this.cluster,
        ['AwsSolutions-RDS14'],
        'Aurora Serverless v2 does not support Backtrack; point-in-time recovery from the automated backups restores the data instead.',
      );
    }
  }
}
