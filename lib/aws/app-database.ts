import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeNagFindings } from './nag';
import type { ResolvedDatabase } from '../model/resolved';
import { DatabaseDeployment, DatabaseEngine } from '../model/types';

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
 * An application's database, in the cluster VPC's private subnets: an Amazon Aurora cluster
 * (PostgreSQL or MySQL) with one writer, Serverless v2 (`aurora-serverless`, the default) or of an
 * instance class (`aurora-provisioned`), or a single RDS DB instance for a sandbox (`instance`).
 * Two generated Secrets Manager secrets under the application's prefix (which only its External
 * Secrets role may read): the master user's, `<platform>/<app>/database`, for the PreSync Jobs, and
 * the application user's (`app`), `<platform>/<app>/database/app`, which the containers read. Both
 * rotate every `rotationDays`: the application user's with alternating users (`app` and
 * `app_clone`), the master's with a single user. Each
 * SecretTargetAttachment adds the connection (`host`, `port`, `engine`, and the cluster's or
 * instance's identifier) beside `username`, `password` and `dbname`.
 *
 * The data is kept: deletion protection on, `DeletionPolicy` and `UpdateReplacePolicy` `Snapshot`,
 * automated backups for `backupRetentionDays`, storage encrypted (with `aws/rds`, or the spec's key),
 * and the secrets retained (the final snapshot's users log in with them). The secrets are encrypted with
 * Secrets Manager's AWS managed key `aws/secretsmanager`, whose key policy lets any principal of the
 * account decrypt through Secrets Manager that may read a secret: the reader needs no KMS grant.
 * The parameter group refuses connections without TLS, and nothing is publicly accessible.
 */
export class AppDatabase extends Construct {
  /** The Aurora cluster (the Aurora deployments). */
  public readonly cluster?: rds.DatabaseCluster;
  /** The DB instance (deployment `instance`). */
  public readonly instance?: rds.DatabaseInstance;
  /** The secret with the master user's credentials and the connection. */
  public readonly secret: rds.DatabaseSecret;
  /** The secret with the application user's credentials and the connection, which rotates. */
  public readonly appSecret: rds.DatabaseSecret;
  /** The alternating-users rotation of `appSecret`. */
  public readonly rotation: secretsmanager.SecretRotation;
  /** The single-user rotation of the master's `secret`. */
  public readonly masterRotation: secretsmanager.SecretRotation;
  /** The database's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The address of the writer endpoint (the cluster's, or the instance's). */
  public readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: AppDatabaseProps) {
    super(scope, id);
    const { database } = props;
    const postgres = database.engine === DatabaseEngine.POSTGRESQL;

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
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
    });
    // Kept when the stack is deleted or the secret replaced: the final snapshot's master password is in it.
    this.secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // The application's own user (`app`): `masterarn` names the master's secret, which the
    // alternating-users rotation logs in with to change the clone's password.
    this.appSecret = new rds.DatabaseSecret(this, 'AppSecret', {
      secretName: database.appSecretName,
      username: database.appUsername,
      dbname: database.databaseName,
      masterSecret: this.secret,
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
    });
    // Kept like the master's: the snapshot's `app` user logs in with it.
    this.appSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // Connections without TLS are refused (rds.force_ssl: PostgreSQL; require_secure_transport: MySQL).
    const tls: { [name: string]: string } = postgres ? { 'rds.force_ssl': '1' } : { require_secure_transport: 'ON' };
    const common = {
      credentials: rds.Credentials.fromSecret(this.secret),
      port: database.port,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      storageEncrypted: true,
      storageEncryptionKey: database.kmsKeyArn ? kms.Key.fromKeyArn(this, 'StorageKey', database.kmsKeyArn) : undefined,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      iamAuthentication: true,
      // A deletion or a replacement leaves a final snapshot (DeletionPolicy and UpdateReplacePolicy).
      removalPolicy: RemovalPolicy.SNAPSHOT,
    };

    if (database.deployment === DatabaseDeployment.INSTANCE) {
      const engine = postgres
        ? rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.of(database.engineVersion, database.majorVersion) })
        : rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of(database.engineVersion, database.majorVersion) });
      this.instance = new rds.DatabaseInstance(this, 'Instance', {
        ...common,
        engine,
        instanceIdentifier: database.clusterIdentifier,
        instanceType: new ec2.InstanceType(database.instanceClass!.replace(/^db\./, '')),
        databaseName: database.databaseName,
        allocatedStorage: database.allocatedStorage,
        storageType: rds.StorageType.GP3,
        multiAz: false,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        backupRetention: Duration.days(database.backupRetentionDays),
        parameterGroup: new rds.ParameterGroup(this, 'Parameters', { engine, description: `${database.clusterIdentifier}: TLS required`, parameters: tls }),
        // MySQL's audit log needs the MariaDB audit plugin's option group; the other logs are exported.
        cloudwatchLogsExports: postgres ? ['postgresql', 'upgrade'] : ['error', 'general', 'slowquery'],
      });
      this.endpointAddress = this.instance.dbInstanceEndpointAddress;
      acknowledgeNagFindings(
        this.instance,
        ['AwsSolutions-RDS3'],
        'Deployment instance is a sandbox\'s single instance in one Availability Zone, by the spec\'s choice; the Aurora deployments keep their storage in three.',
      );
      acknowledgeNagFindings(this.instance, ['AwsSolutions-RDS11'], DEFAULT_PORT_REASON);
      this.rotation = this.rotateAppUser(this.instance, database);
      this.masterRotation = this.rotateMaster(this.instance, database);
      return;
    }

    const engine = postgres
      ? rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of(database.engineVersion, database.majorVersion) })
      : rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.of(database.engineVersion, database.majorVersion) });
    const serverless = database.deployment === DatabaseDeployment.AURORA_SERVERLESS;
    const writerProps = { publiclyAccessible: false, autoMinorVersionUpgrade: true };
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      ...common,
      engine,
      clusterIdentifier: database.clusterIdentifier,
      defaultDatabaseName: database.databaseName,
      writer: serverless
        ? rds.ClusterInstance.serverlessV2('Writer', writerProps)
        : rds.ClusterInstance.provisioned('Writer', { ...writerProps, instanceType: new ec2.InstanceType(database.instanceClass!.replace(/^db\./, '')) }),
      serverlessV2MinCapacity: serverless ? database.minCapacity : undefined,
      serverlessV2MaxCapacity: serverless ? database.maxCapacity : undefined,
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', { engine, description: `${database.clusterIdentifier}: TLS required`, parameters: tls }),
      backup: { retention: Duration.days(database.backupRetentionDays) },
      cloudwatchLogsExports: postgres ? ['postgresql'] : ['error', 'general', 'slowquery', 'audit'],
    });
    this.endpointAddress = this.cluster.clusterEndpoint.hostname;
    this.rotation = this.rotateAppUser(this.cluster, database);
    this.masterRotation = this.rotateMaster(this.cluster, database);
    if (!postgres) {
      // cdk-nag's RDS11 takes 3306 for Aurora MySQL's default port (not 5432 for Aurora PostgreSQL).
      acknowledgeNagFindings(this.cluster, ['AwsSolutions-RDS11'], DEFAULT_PORT_REASON);
      acknowledgeNagFindings(
        this.cluster,
        ['AwsSolutions-RDS14'],
        serverless
          ? 'Aurora Serverless v2 does not support Backtrack; point-in-time recovery from the automated backups restores the data instead.'
          : 'Point-in-time recovery from the automated backups restores the data; Backtrack, which rewinds the whole cluster in place, is left for the operator to turn on.',
      );
    }
  }

  /**
   * Completes the application user's secret with the connection (its SecretTargetAttachment) and
   * rotates it with Secrets Manager's alternating-users function (the serverless application
   * aws-cdk-lib pins), in the private subnets, admitted to the database's port. The rotation logs
   * in with the current password first, and the user exists only once the first sync's PreSync Job
   * has made it, so the first rotation, which starts when the stack sets the schedule up, fails
   * until then and Secrets Manager attempts it again. It starts at once on purpose: RotateSecret
   * only starts a rotation, which runs on its own, whereas without it (`rotateImmediatelyOnUpdate:
   * false`) Secrets Manager tests the configuration with the function's testSecret step, which
   * logs in as a user that does not exist yet, and the documentation does not say whether that
   * failure fails the deploy. The rotation's passwords exclude the same characters as the generated
   * ones, which the database user Job's MySQL script relies on.
   */
  private rotateAppUser(target: rds.DatabaseCluster | rds.DatabaseInstance, database: ResolvedDatabase): secretsmanager.SecretRotation {
    const attached = this.appSecret.attach(target);
    return target.addRotationMultiUser('AppUserRotation', {
      secret: attached,
      automaticallyAfter: Duration.days(database.rotationDays),
      rotateImmediatelyOnUpdate: true,
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
  }

  /**
   * Rotates the master's password with Secrets Manager's single-user function, on the same schedule.
   * Only the PreSync Jobs log in as the master, at the start of a sync, from the Kubernetes Secret
   * External Secrets refreshes every minute (`ResolvedDatabase.masterSecret`); the alternating-users
   * function reads the master's secret itself, at each of its rotations. The first rotation waits
   * for the schedule (`rotateImmediatelyOnUpdate: false`): at deploy the writer may not accept
   * connections yet, and on an upgrade the pods and Jobs of the tree before still read the master's
   * password from the application's Secret until the new tree syncs. The configuration test that
   * Secrets Manager runs instead logs in as the master, which exists.
   */
  private rotateMaster(target: rds.DatabaseCluster | rds.DatabaseInstance, database: ResolvedDatabase): secretsmanager.SecretRotation {
    return target.addRotationSingleUser({
      automaticallyAfter: Duration.days(database.rotationDays),
      rotateImmediatelyOnUpdate: false,
      excludeCharacters: EXCLUDED_PASSWORD_CHARACTERS,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
  }
}

/**
 * Characters left out of the generated passwords and the rotated ones: those that need quoting in a
 * connection URL, a shell or SQL (the database user Job's MySQL script quotes the password as it is).
 */
export const EXCLUDED_PASSWORD_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/** Why the engine's default port is accepted. */
const DEFAULT_PORT_REASON =
  'The engine\'s default port: only the EKS cluster security group is admitted to it, and another port hides nothing from a client inside the VPC.';
