// An application's database (apps[].database), both sides synthesized from examples/database with a
// second application beside main: the AWS side's cluster, secrets, the application user's rotation,
// security group and the External Secrets roles' policies, evaluated as IAM would (test/support/
// identity-eval.ts); the manifests' ExternalSecret against the pinned External Secrets CRD, the
// migration Job against Kubernetes. The Job that creates the application's user: test/k8s/database-user-job.test.ts.
import { Template } from 'aws-cdk-lib/assertions';
import { App as Cdk8sApp } from 'cdk8s';
import { AppSecretsChart } from '../../lib/addons/external-secrets/app-secrets-chart';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { MigrationJobChart, WAIT_FOR_DATABASE_CONTAINER } from '../../lib/k8s/migration/migration-job-chart';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, sandboxPlatform } from '../fixtures';
import { DEFAULT_CONTEXT, resolveIntrinsics } from '../support/iam-eval';
import { policiesAllow, policiesOfRole } from '../support/identity-eval';
import { schemaErrors } from '../support/manifest-checks';

/** examples/database with a second application, "api", that has a database of its own. */
function twoDatabases(): any {
  const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
  const api = structuredClone(spec.apps[0]);
  Object.assign(api, { name: 'api', namespace: 'api', host: 'api.example.com', ci: { ...api.ci, repository: 'api-app', repositoryId: '200000002' } });
  return { ...spec, apps: [...spec.apps, api] };
}

const platform = Platform.resolve(PlatformSpecLoader.fromObject(twoDatabases()));
const gitops = new GitOpsPlatform(cdkApp(), platform.qualifiedName, { platform });
const template = Template.fromStack(gitops.platformStack).toJSON();
const resources = Object.entries<any>(template.Resources);
const resolve = (value: any) => resolveIntrinsics(value, template);
const { account, region } = DEFAULT_CONTEXT;
/** A secret's ARN as Secrets Manager makes it: its name and six random characters. */
const secretArn = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-AbC123`;
const roleOf = (roleName: string) => resources.find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === roleName)![0];
const readerRoleName = (app: string) => platform.apps.find((a) => a.name === app)!.secret!.reader.roleName;
const readerDocuments = (app: string) => policiesOfRole(template, roleOf(readerRoleName(app))).map(resolve);
const clusters = resources.filter(([, r]) => r.Type === 'AWS::RDS::DBCluster');

describe('the database of each application', () => {
  test('each app has its cluster in the private subnets, its data kept, TLS required, no public access', () => {
    expect(clusters.map(([, r]) => r.Properties.DBClusterIdentifier).sort()).toEqual(['sandbox-api', 'sandbox-main']);
    for (const [, cluster] of clusters) {
      expect(cluster).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
      expect(cluster.Properties).toMatchObject({
        Engine: 'aurora-postgresql',
        DeletionProtection: true,
        StorageEncrypted: true,
        BackupRetentionPeriod: 7,
        ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 4 },
        // What the Control Tower proactive controls for RDS clusters ask beyond the above.
        EnableIAMDatabaseAuthentication: true,
        CopyTagsToSnapshot: true,
      });
      // Without KmsKeyId, RDS encrypts with the AWS managed key aws/rds.
      expect(cluster.Properties.KmsKeyId).toBeUndefined();
      const parameters = template.Resources[cluster.Properties.DBClusterParameterGroupName.Ref];
      expect(parameters.Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
      const subnets = template.Resources[cluster.Properties.DBSubnetGroupName.Ref].Properties.SubnetIds.map((s: any) => s.Ref);
      expect(subnets.every((id: string) => /PrivateSubnet/.test(id))).toBe(true);
    }
    const instances = resources.filter(([, r]) => r.Type === 'AWS::RDS::DBInstance');
    expect(instances).toHaveLength(2);
    for (const [, instance] of instances) expect(instance.Properties).toMatchObject({ DBInstanceClass: 'db.serverless', PubliclyAccessible: false });
  });

  test('its port is admitted from the EKS cluster security group and its two rotation functions only, and nothing else is', () => {
    for (const [, cluster] of clusters) {
      const groupId = cluster.Properties.VpcSecurityGroupIds[0]['Fn::GetAtt'][0];
      const ingress = [
        ...(template.Resources[groupId].Properties.SecurityGroupIngress ?? []),
        ...resources.filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.GroupId['Fn::GetAtt']?.[0] === groupId).map(([, r]) => r.Properties),
      ];
      const rotationGroup = (name: string) => resources.find(([id, r]) => r.Type === 'AWS::EC2::SecurityGroup' && id.startsWith(groupId.replace(/SecurityGroup.*$/, `Cluster${name}`)))![0];
      expect(ingress).toEqual([
        expect.objectContaining({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'ClusterSecurityGroupId'] } }),
        // The rotation functions log in to change a password (aws-cdk-lib's allowDefaultPortFrom: the cluster's port).
        expect.objectContaining({ IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [rotationGroup('AppUserRotation'), 'GroupId'] }, FromPort: { 'Fn::GetAtt': [expect.any(String), 'Endpoint.Port'] } }),
        expect.objectContaining({ IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [rotationGroup('RotationSingleUser'), 'GroupId'] }, FromPort: { 'Fn::GetAtt': [expect.any(String), 'Endpoint.Port'] } }),
      ]);
    }
  });

  test('the secret is generated under the app\'s prefix with dbname, completed by the attachment, and kept', () => {
    for (const app of ['main', 'api']) {
      const [id, secret] = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === `sandbox/${app}/database`)!;
      expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({ username: 'dbadmin', dbname: app });
      expect(secret.Properties.GenerateSecretString.GenerateStringKey).toBe('password');
      // No KmsKeyId: the AWS managed key aws/secretsmanager, which the reader may use through Secrets Manager.
      expect(secret.Properties.KmsKeyId).toBeUndefined();
      // SecretTargetAttachment writes engine, host, port and dbClusterIdentifier into the secret
      // (Secrets Manager user guide, "JSON structure of database credential secrets").
      const attachment = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::SecretTargetAttachment' && r.Properties.SecretId.Ref === id)![1];
      expect(attachment.Properties.TargetType).toBe('AWS::RDS::DBCluster');
    }
  });

  test('the application\'s own user has a secret of its own: its master\'s ARN in it, completed by an attachment, and kept', () => {
    for (const app of ['main', 'api']) {
      const [id, secret] = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === `sandbox/${app}/database/app`)!;
      const masterId = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === `sandbox/${app}/database`)![0];
      expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      // The alternating-users function reads `masterarn` to log in as the master (SecretsManagerRDSPostgreSQLRotationMultiUser's setSecret).
      const [before, master, after] = secret.Properties.GenerateSecretString.SecretStringTemplate['Fn::Join'][1];
      expect(JSON.parse(`${before}${after}`)).toEqual({ username: 'app', dbname: app, masterarn: '' });
      expect(master).toEqual({ Ref: masterId });
      const attachment = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::SecretTargetAttachment' && r.Properties.SecretId.Ref === id)![1];
      expect(attachment.Properties.TargetType).toBe('AWS::RDS::DBCluster');
    }
  });

  test('the application user\'s password rotates with alternating users every 30 days from the deploy on, the master\'s with a single user on schedule', () => {
    const schedules = resources.filter(([, r]) => r.Type === 'AWS::SecretsManager::RotationSchedule').map(([, r]) => r);
    expect(schedules).toHaveLength(4);
    const functionOf = (schedule: any) => {
      const app = template.Resources[schedule.Properties.RotationLambdaARN['Fn::GetAtt'][0]];
      expect(app.Type).toBe('AWS::Serverless::Application');
      return { app, id: template.Mappings[app.Properties.Location.ApplicationId['Fn::FindInMap'][0]].aws.applicationId as string };
    };
    for (const app of ['main', 'api']) {
      const secretId = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === `sandbox/${app}/database/app`)![0];
      const attachmentId = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::SecretTargetAttachment' && r.Properties.SecretId.Ref === secretId)![0];
      const schedule = schedules.find((r) => r.Properties.SecretId.Ref === attachmentId)!;
      // Started at once, as a RotateSecret that runs on its own: not the configuration test (RotateImmediately
      // false runs testSecret, which logs in as a user the first sync has not made yet).
      expect(schedule.Properties).toMatchObject({ RotateImmediatelyOnUpdate: true, RotationRules: { ScheduleExpression: 'rate(30 days)' } });
      const { app: functionApp, id: applicationId } = functionOf(schedule);
      expect(applicationId).toMatch(/\/SecretsManagerRDSPostgreSQLRotationMultiUser$/);
      const masterId = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties.Name === `sandbox/${app}/database`)![0];
      const masterAttachment = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::SecretTargetAttachment' && r.Properties.SecretId.Ref === masterId)![0];
      expect(functionApp.Properties.Parameters.masterSecretArn).toEqual({ Ref: masterAttachment });
      // The same characters left out as the generated passwords (the MySQL script quotes them as they are).
      const generated = template.Resources[secretId].Properties.GenerateSecretString;
      expect(functionApp.Properties.Parameters.excludeCharacters).toBe(generated.ExcludeCharacters);
      const subnets = functionApp.Properties.Parameters.vpcSubnetIds['Fn::Join'][1].filter((p: any) => p.Ref).map((p: any) => p.Ref);
      expect(subnets.length).toBeGreaterThan(0);
      expect(subnets.every((subnet: string) => /PrivateSubnet/.test(subnet))).toBe(true);
      // The master's: the single-user function, on the same schedule, the first time on schedule: at deploy the
      // writer may not accept connections yet, and an upgraded tree still reads the master from the app's Secret.
      const masterSchedule = schedules.find((r) => r.Properties.SecretId.Ref === masterAttachment)!;
      expect(masterSchedule.Properties).toMatchObject({ RotateImmediatelyOnUpdate: false, RotationRules: { ScheduleExpression: 'rate(30 days)' } });
      expect(functionOf(masterSchedule).id).toMatch(/\/SecretsManagerRDSPostgreSQLRotationSingleUser$/);
      expect(functionOf(masterSchedule).app.Properties.Parameters.excludeCharacters).toBe(generated.ExcludeCharacters);
      // Both secrets refuse DeleteSecret to the account while the rotation needs them (aws-cdk-lib's
      // denyAccountRootDelete): the runbook removes the policies before deleting them.
      for (const attached of [attachmentId, masterAttachment]) {
        const policy = resources.find(([, r]) => r.Type === 'AWS::SecretsManager::ResourcePolicy' && r.Properties.SecretId.Ref === attached)![1];
        expect(policy.Properties.ResourcePolicy.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Action: 'secretsmanager:DeleteSecret' })]);
      }
    }
  });

  test('the app\'s External Secrets role reads its database secrets, and no other app\'s', () => {
    const read = (app: string, secret: string) => policiesAllow(readerDocuments(app), { action: 'secretsmanager:GetSecretValue', resource: secretArn(secret) });
    expect(read('main', 'sandbox/main/database')).toBe(true);
    expect(read('main', 'sandbox/main/database/app')).toBe(true);
    expect(read('api', 'sandbox/api/database')).toBe(true);
    expect(read('api', 'sandbox/api/database/app')).toBe(true);
    expect(read('main', 'sandbox/api/database')).toBe(false);
    expect(read('main', 'sandbox/api/database/app')).toBe(false);
    expect(read('api', 'sandbox/main/database')).toBe(false);
    expect(read('api', 'sandbox/main/database/app')).toBe(false);
    // Nor a secret RDS manages (rds!cluster-<id>), nor the manifest repository's credentials.
    expect(read('main', 'rds!cluster-0a1b2c3d-4e5f-6789-abcd-ef0123456789')).toBe(false);
    expect(read('main', 'sandbox/argocd/manifest-repository')).toBe(false);
    // It gets no KMS permission: aws/secretsmanager's key policy admits the account's principals through Secrets Manager.
    expect(readerDocuments('main').flatMap((d) => d.Statement).flatMap((s: any) => [s.Action].flat()).some((a: string) => a.startsWith('kms:'))).toBe(false);
  });

  test('the migration gets no role for the database: its password comes from the Secret, not from AWS', () => {
    const main = platform.apps.find((a) => a.name === 'main')!;
    expect(main.migration!.role).toBeUndefined();
    // The same roles as the sandbox's main, whose secret is made by hand: the database adds none.
    expect(main.workloadRoles.map((r) => r.purpose)).toEqual(sandboxPlatform().apps[0].workloadRoles.map((r) => r.purpose));
  });
});

describe('the other deployments', () => {
  const synth = (database: any) => {
    const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
    spec.apps[0].database = database;
    const resolved = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    return Template.fromStack(new GitOpsPlatform(cdkApp(), resolved.qualifiedName, { platform: resolved }).platformStack).toJSON();
  };

  test('aurora-provisioned: the writer of its instance class, no Serverless v2 scaling', () => {
    const all = Object.values<any>(synth({ engine: 'mysql', deployment: 'aurora-provisioned', instanceClass: 'db.r6g.xlarge' }).Resources);
    const cluster = all.find((r) => r.Type === 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({ Engine: 'aurora-mysql', EngineVersion: '8.0.mysql_aurora.3.08.0', DeletionProtection: true, StorageEncrypted: true });
    expect(cluster.Properties.ServerlessV2ScalingConfiguration).toBeUndefined();
    expect(all.find((r) => r.Type === 'AWS::RDS::DBInstance').Properties).toMatchObject({ DBInstanceClass: 'db.r6g.xlarge', PubliclyAccessible: false });
    expect(all.find((r) => r.Type === 'AWS::RDS::DBClusterParameterGroup').Properties.Parameters).toEqual({ require_secure_transport: 'ON' });
  });

  test('MySQL and a single instance rotate with their engine\'s alternating-users function, on the spec\'s rotationDays', () => {
    for (const [database, functionName] of [
      [{ engine: 'mysql', deployment: 'aurora-provisioned', rotationDays: 7 }, 'SecretsManagerRDSMySQLRotationMultiUser'],
      [{ engine: 'postgresql', deployment: 'instance', rotationDays: 7 }, 'SecretsManagerRDSPostgreSQLRotationMultiUser'],
    ] as const) {
      const synthesized = synth(database);
      const all = Object.values<any>(synthesized.Resources);
      const schedule = all.find((r) => r.Type === 'AWS::SecretsManager::RotationSchedule' && synthesized.Resources[r.Properties.SecretId.Ref].Properties.SecretId.Ref.includes('AppSecret'));
      expect(schedule.Properties).toMatchObject({ RotateImmediatelyOnUpdate: true, RotationRules: { ScheduleExpression: 'rate(7 days)' } });
      const functionApp = synthesized.Resources[schedule.Properties.RotationLambdaARN['Fn::GetAtt'][0]];
      expect(synthesized.Mappings[functionApp.Properties.Location.ApplicationId['Fn::FindInMap'][0]].aws.applicationId.endsWith(`/${functionName}`)).toBe(true);
    }
  });

  test('instance: one RDS instance, its data kept as a cluster\'s, TLS required, attached to the same secret', () => {
    const single = synth({ engine: 'postgresql', deployment: 'instance', backupRetentionDays: 3 });
    const entries = Object.entries<any>(single.Resources);
    expect(entries.filter(([, r]) => r.Type === 'AWS::RDS::DBCluster')).toEqual([]);
    const [id, instance] = entries.find(([, r]) => r.Type === 'AWS::RDS::DBInstance')!;
    expect(instance).toMatchObject({ DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    expect(instance.Properties).toMatchObject({
      DBInstanceIdentifier: 'sandbox-main',
      Engine: 'postgres',
      EngineVersion: '16.6',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: '20',
      StorageType: 'gp3',
      StorageEncrypted: true,
      DeletionProtection: true,
      PubliclyAccessible: false,
      MultiAZ: false,
      BackupRetentionPeriod: 3,
      DBName: 'main',
      EnableIAMDatabaseAuthentication: true,
    });
    expect(single.Resources[instance.Properties.DBParameterGroupName.Ref].Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
    const attachment = entries.find(([, r]) => r.Type === 'AWS::SecretsManager::SecretTargetAttachment')![1];
    expect(attachment.Properties).toMatchObject({ TargetType: 'AWS::RDS::DBInstance', TargetId: { Ref: id } });
  });
});

describe('the manifests read it', () => {
  const main = platform.apps.find((a) => a.name === 'main')!;
  const secrets = new AppSecretsChart(new Cdk8sApp(), 'secrets', { platform, app: main });
  const externalSecret = secrets.toJson().find((o: any) => o.kind === 'ExternalSecret');
  const migration = new MigrationJobChart(new Cdk8sApp(), 'migration', { platform, app: main }).toJson();
  const job = migration.find((o: any) => o.kind === 'Job');

  test('the ExternalSecret maps every key of the application user\'s secret; the master\'s credentials go to a Secret of their own, read every minute; both validate against the pinned CRD', () => {
    expect(externalSecret.spec.data).toEqual(
      ['host', 'port', 'username', 'password', 'dbname'].map((key) => ({ secretKey: `database-${key}`, remoteRef: { key: 'sandbox/main/database/app', property: key } })),
    );
    const master = secrets.toJson().find((o: any) => o.kind === 'ExternalSecret' && o.metadata.name === 'main-database-master');
    expect(master.spec).toMatchObject({ refreshInterval: '1m', target: { name: 'main-database-master', creationPolicy: 'Owner' }, secretStoreRef: externalSecret.spec.secretStoreRef });
    expect(master.spec.data).toEqual(['username', 'password'].map((key) => ({ secretKey: key, remoteRef: { key: 'sandbox/main/database', property: key } })));
    expect(externalSecret.spec.target.name).toBe(main.secret!.name);
    expect(schemaErrors(secrets.toJson())).toEqual([]);
  });

  test('the app container reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME as the application\'s user, the migration as the master; the web container nothing', () => {
    const expected = { DB_HOST: 'database-host', DB_PORT: 'database-port', DB_USER: 'database-username', DB_PASSWORD: 'database-password', DB_NAME: 'database-dbname' };
    // database.containers defaults to the first container, the app's own.
    expect(Object.fromEntries(main.containers.map((c) => [c.name, c.secretEnv]))).toEqual({ app: expected, web: {} });
    const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]));
    // The migration creates and alters the schema: the master user's name and password, from the master's Secret.
    expect(env).toEqual({
      ...Object.fromEntries(Object.entries(expected).map(([name, key]) => [name, `main-secrets/${key}`])),
      DB_USER: 'main-database-master/username',
      DB_PASSWORD: 'main-database-master/password',
    });
  });

  test('the migration waits for the database with the engine\'s client, its deadline and retries kept', () => {
    const [wait] = job.spec.template.spec.initContainers;
    expect(wait.name).toBe(WAIT_FOR_DATABASE_CONTAINER);
    // No shell: the kubelet expands $(VAR) in command from the container's env (Kubernetes, "Define a command and arguments").
    expect(wait.command[0]).toBe('pg_isready');
    expect(wait.command).toEqual(expect.arrayContaining(['--host=$(DB_HOST)', '--port=$(DB_PORT)']));
    expect(wait.env.map((e: any) => e.name)).not.toContain('DB_PASSWORD');
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 120, backoffLimit: 2 });
    // pg_isready exits 1 (rejecting connections) or 2 (no response) while the database is not ready:
    // such a pod is replaced without counting towards backoffLimit (podFailurePolicy action Ignore).
    expect(job.spec.podFailurePolicy.rules).toEqual([{ action: 'Ignore', onExitCodes: { containerName: WAIT_FOR_DATABASE_CONTAINER, operator: 'In', values: [1, 2] } }]);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(schemaErrors(migration)).toEqual([]);
  });
});
