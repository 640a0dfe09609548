// The rules of apps[].database (lib/model/validate/database.ts), the lock that tells validate what a
// deployed database was created with, and the defaults its resolver fills in.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { databaseLock, lockPathOf, PlatformLock } from '../../lib/model/platform-lock';
import { validateSpec } from '../../lib/model/validate';
import { databaseWarnings } from '../../lib/model/validate/database';
import { PlatformSpecError, PlatformSpecLoader } from '../../lib/platform/loader';
import { writeLockBeside } from '../../lib/platform/lock-file';
import { Platform } from '../../lib/platform/platform';
import { repoPath, twoEnvironmentsSpec } from '../fixtures';

const EXAMPLE = repoPath('examples', 'database', 'platform.yaml');
const example = (): any => parse(readFileSync(EXAMPLE, 'utf8'));
const problems = (spec: any, lock?: PlatformLock) => validateSpec(spec, BUILT_IN_ADDONS, lock).map((p) => `${p.path}: ${p.message}`);
/** The lock synth writes for a spec. */
const lockOf = (spec: any) => databaseLock(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec)));
const withDatabase = (spec: any, database: any) => ({
  ...spec,
  apps: [{ ...spec.apps[0], database: { ...spec.apps[0].database, ...database } }, ...spec.apps.slice(1)],
});

describe('apps[].database', () => {
  test('the example is valid, and resolves to the documented defaults', () => {
    expect(problems(example())).toEqual([]);
    const [main] = Platform.resolve(PlatformSpecLoader.fromFile(EXAMPLE)).apps;
    expect(main.database).toMatchObject({
      engine: 'postgresql',
      deployment: 'aurora-serverless',
      kind: 'cluster',
      instanceClass: undefined,
      engineVersion: '16.6',
      minCapacity: 1,
      maxCapacity: 4,
      port: 5432,
      clusterIdentifier: 'sandbox-main',
      databaseName: 'main',
      username: 'dbadmin',
      backupRetentionDays: 7,
      secretName: 'sandbox/main/database',
      // The containers' own user, rotated every 30 days; created by the PreSync Job of that name.
      appUsername: 'app',
      appSecretName: 'sandbox/main/database/app',
      rotationDays: 30,
      userJob: { name: 'main-database-user', deadlineSeconds: 300 },
      // The master's credentials in a Secret of their own, read every minute: only the PreSync Jobs read it.
      masterSecret: { name: 'main-database-master', refreshInterval: '1m', usernameKey: 'username', passwordKey: 'password' },
      variables: { host: 'DB_HOST', port: 'DB_PORT', username: 'DB_USER', password: 'DB_PASSWORD', dbname: 'DB_NAME' },
    });
    // Without a secret of its own the app gets one for the database's keys alone.
    expect(main.secret).toMatchObject({ name: 'main-secrets', keys: [] });
  });

  test('validate warns, once per application, that its pods must restart within rotationDays of each rotation', () => {
    const spec = example();
    spec.apps[0].database.rotationDays = 14;
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect(databaseWarnings(platforms)).toEqual([
      "apps[0].database: the container app of main read the database user's password at start; it rotates every 14 days and stays valid 14 days more, " +
        'so restart the pods within that time of each rotation (a release does; kubectl rollout restart deployment/main -n main), ' +
        'or their new connections fail (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases)',
    ]);
    const without = { ...spec, apps: [{ ...spec.apps[0], database: undefined }] };
    expect(databaseWarnings(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(without)))).toEqual([]);
  });

  test('backupRetentionDays defaults to 7, and a given value is kept', () => {
    const spec = example();
    delete spec.apps[0].database.backupRetentionDays;
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec)).apps[0].database!.backupRetentionDays).toBe(7);
    const given = Platform.resolve(PlatformSpecLoader.fromObject(withDatabase(spec, { backupRetentionDays: 14 })));
    expect(given.apps[0].database!.backupRetentionDays).toBe(14);
    expect(problems(withDatabase(spec, { backupRetentionDays: 36 }))).toEqual([expect.stringMatching(/^apps\[0\]\.database\.backupRetentionDays: /)]);
  });

  test('an app without a database has none: the field is off unless given', () => {
    expect(Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'sandbox', 'platform.yaml'))).apps[0].database).toBeUndefined();
  });

  test('the rules across fields, each at the field to change', () => {
    const spec = example();
    expect(problems(withDatabase(spec, { minCapacity: 8, maxCapacity: 4 }))).toEqual(['apps[0].database.maxCapacity: 4 is below minCapacity 8; give at least 8']);
    expect(problems(withDatabase(spec, { engine: 'mysql', engineVersion: '16.6' }))).toEqual([
      'apps[0].database.engineVersion: \'16.6\' is no mysql version of aurora-serverless; give one such as 8.0.mysql_aurora.3.08.0',
    ]);
    expect(problems(withDatabase(spec, { containers: ['app', 'worker'] }))).toEqual(["apps[0].database.containers[1]: 'worker' is not a container of 'main'; use one of app, web"]);
    expect(problems(withDatabase(spec, { variables: { username: 'DB_HOST' } }))).toEqual([
      'apps[0].database.variables.username: \'DB_HOST\' already holds the database\'s host; give each value its own variable',
    ]);
    const mapped = structuredClone(spec);
    mapped.apps[0].containers[0].secretEnv = { DB_HOST: 'host' };
    mapped.apps[0].secret = { keys: ['host'] };
    expect(problems(mapped)).toEqual([
      "apps[0].containers[0].secretEnv.DB_HOST: is the database's variable 'DB_HOST' (apps[].database.variables), which the database sets; remove it here, or rename the database's",
    ]);
    mapped.apps[0].containers[0].secretEnv = {};
    mapped.apps[0].containers[1].secretEnv = { DB_HOST: 'host' };
    expect(problems(mapped)).toEqual([]);
    // Secrets Manager refuses a second secret of one name: the app's own secret and the database's
    // (generated by the stack) must differ, whichever field names the app's.
    const named = structuredClone(spec);
    named.apps[0].secret = { name: 'database', keys: ['api-key'] };
    expect(problems(named)).toEqual([
      "apps[0].secret.name: makes the application's secret 'sandbox/main/database', the name of the secret its database's credentials are generated into; choose another name",
    ]);
    named.apps[0].secret = { remoteKey: 'sandbox/main/database', keys: ['api-key'] };
    expect(problems(named)).toEqual([
      "apps[0].secret.remoteKey: makes the application's secret 'sandbox/main/database', the name of the secret its database's credentials are generated into; choose another remoteKey",
    ]);
    named.apps[0].secret = { remoteKey: 'sandbox/main/database/app', keys: ['api-key'] };
    expect(problems(named)).toEqual([
      "apps[0].secret.remoteKey: makes the application's secret 'sandbox/main/database/app', the name of the secret its database's credentials are generated into; choose another remoteKey",
    ]);
    named.apps[0].secret = { name: 'main-secrets', keys: ['api-key', 'database-password'] };
    expect(problems(named)).toEqual(["apps[0].secret.keys: 'database-password' is the key the database's password has in the Secret; rename it"]);
    named.apps[0].secret = { name: 'main-secrets', keys: ['api-key', 'database-master-password'] };
    expect(problems(named)).toEqual(["apps[0].secret.keys: 'database-master-password' is where a preview secret holds the database's master credentials, which no container may read; rename it"]);
    named.apps[0].secret = { name: 'main-database-master', keys: ['api-key'] };
    expect(problems(named)).toEqual(["apps[0].secret.name: 'main-database-master' is the Secret of the database's master credentials (main-database-master); choose another name"]);
    named.apps[0].secret = { name: 'main-secrets', keys: ['api-key'] };
    expect(problems(named)).toEqual([]);
    // The master user cannot be the application's, nor its clone (the rotation alternates the two).
    for (const username of ['app', 'app_clone']) {
      expect(problems(withDatabase(spec, { username }))).toEqual([
        `apps[0].database.username: '${username}' is the application's own user (app and app_clone, which the rotation alternates); the master user needs another name, such as 'dbadmin'`,
      ]);
    }
    const masterReader = structuredClone(withDatabase(spec, {}));
    // The master's credentials are in a Secret of their own, which no container can name.
    masterReader.apps[0].containers[0].secretEnv = { ADMIN_PASSWORD: 'database-master-password' };
    expect(problems(masterReader)).toEqual([expect.stringMatching(/^apps\[0\]\.containers\[0\]\.secretEnv\.ADMIN_PASSWORD: reads secret key 'database-master-password', which is not in apps\[0\]\.secret\.keys/)]);
    expect(problems(withDatabase(spec, { engineVersion: '14.12' }))).toEqual([
      "apps[0].database.engineVersion: '14.12' is PostgreSQL 14, where every user may create tables in the public schema: the application's own user could create tables " +
        'the master user cannot grant, and would not be kept from DDL. Give PostgreSQL 15 or later, such as 16.6',
    ]);
    expect(problems(withDatabase(spec, { engineVersion: '15.7' }))).toEqual([]);
    expect(problems(withDatabase(spec, { rotationDays: 0 }))).toEqual([expect.stringMatching(/^apps\[0\]\.database\.rotationDays: /)]);
    expect(problems(withDatabase(spec, { rotationDays: 366 }))).toEqual([expect.stringMatching(/^apps\[0\]\.database\.rotationDays: /)]);
    expect(problems({ ...spec, secrets: { backend: 'vault', vault: { address: 'https://vault.example.com' } } })).toContainEqual(
      "apps[0].database: needs secrets.backend 'secrets-manager': the database's credentials are generated into Secrets Manager, which 'vault' does not read",
    );
  });

  test('the deployments: Aurora provisioned and a single instance, each with its defaults and only its fields', () => {
    const spec = example();
    delete spec.apps[0].database.minCapacity;
    delete spec.apps[0].database.maxCapacity;
    const resolved = (database: any) => Platform.resolve(PlatformSpecLoader.fromObject(withDatabase(spec, database))).apps[0].database!;
    expect(resolved({ deployment: 'aurora-provisioned' })).toMatchObject({ kind: 'cluster', instanceClass: 'db.r6g.large', allocatedStorage: undefined, engineVersion: '16.6' });
    expect(resolved({ deployment: 'instance' })).toMatchObject({ kind: 'instance', instanceClass: 'db.t4g.micro', allocatedStorage: 20, engineVersion: '16.6' });
    expect(resolved({ deployment: 'instance', engine: 'mysql' })).toMatchObject({ engineVersion: '8.0.40', majorVersion: '8.0', port: 3306 });
    expect(resolved({ engine: 'mysql' })).toMatchObject({ engineVersion: '8.0.mysql_aurora.3.08.0', majorVersion: '8.0' });
    expect(problems(withDatabase(spec, { deployment: 'instance', minCapacity: 2 }))).toEqual([
      "apps[0].database.minCapacity: applies to deployment 'aurora-serverless' only; remove it, or give instanceClass for 'instance'",
    ]);
    expect(problems(withDatabase(spec, { instanceClass: 'db.t4g.medium' }))).toEqual([
      "apps[0].database.instanceClass: applies to 'aurora-provisioned' and 'instance'; a Serverless v2 writer has minCapacity and maxCapacity instead",
    ]);
    expect(problems(withDatabase(spec, { deployment: 'aurora-provisioned', allocatedStorage: 50 }))).toEqual([
      "apps[0].database.allocatedStorage: applies to deployment 'instance' only: Aurora grows its storage itself; remove it",
    ]);
    expect(problems(withDatabase(spec, { deployment: 'instance', engine: 'mysql', engineVersion: '8.0.mysql_aurora.3.08.0' }))).toEqual([
      "apps[0].database.engineVersion: '8.0.mysql_aurora.3.08.0' is no mysql version of instance; give one such as 8.0.40",
    ]);
  });

  test('each environment has a database of its own, with its own secret', () => {
    const spec = twoEnvironmentsSpec();
    // The database sets the DB_* variables the spec mapped by hand.
    for (const c of spec.apps[0].containers) delete c.secretEnv;
    delete spec.apps[0].migration?.secretEnv;
    spec.apps[0].database = { engine: 'postgresql' };
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    const databases = platforms.map((p) => p.apps[0].database!);
    expect(new Set(databases.map((d) => d.clusterIdentifier)).size).toBe(platforms.length);
    expect(databases.map((d) => d.secretName)).toEqual(platforms.map((p) => `${p.secretsPrefix}/${spec.apps[0].name}/database`));
    expect(Object.keys(databaseLock(platforms).databases)).toEqual(platforms.map((p) => `${p.environment}/${spec.apps[0].name}`));
  });
});

describe('a change that would replace a deployed database is refused', () => {
  const spec = example();
  const lock = lockOf(spec);

  test('the lock records the immutable values', () => {
    expect(lock).toEqual({
      databases: { 'production/main': { engine: 'postgresql', kind: 'cluster', clusterIdentifier: 'sandbox-main', databaseName: 'main', username: 'dbadmin', stackId: 'sandbox-platform' } },
    });
    expect(problems(spec, lock)).toEqual([]);
  });

  test.each([
    ['the engine', { engine: 'mysql', engineVersion: '8.0.mysql_aurora.3.08.0' }, 'apps[0].database.engine', 'engine', 'postgresql', 'mysql'],
    ['the database name', { databaseName: 'orders' }, 'apps[0].database.databaseName', 'databaseName', 'main', 'orders'],
    ['the master user', { username: 'owner' }, 'apps[0].database.username', 'username', 'dbadmin', 'owner'],
    ['the KMS key', { kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'apps[0].database.kmsKeyArn', 'kmsKeyArn', '(none)', 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ])('%s', (_, change, path, field, before, after) => {
    expect(problems(withDatabase(spec, change), lock)).toEqual([
      `${path}: would replace the database of 'main' in 'production': its ${field} is '${before}' in platform.lock.json and '${after}' now, ` +
        'which CloudFormation changes only by creating a new database (the old one kept as a snapshot). Put it back; to move the data on purpose, see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases',
    ]);
  });

  test('a cluster becoming an instance, but not a Serverless v2 writer becoming a provisioned one', () => {
    const { minCapacity: _min, maxCapacity: _max, ...rest } = spec.apps[0].database;
    const redeployed = (deployment: string) => ({ ...spec, apps: [{ ...spec.apps[0], database: { ...rest, deployment } }] });
    expect(problems(redeployed('instance'), lock)).toEqual([expect.stringMatching(/^apps\[0\]\.database\.deployment: would replace the database of 'main' in 'production': its kind is 'cluster' in platform\.lock\.json and 'instance' now/)]);
    expect(problems(redeployed('aurora-provisioned'), lock)).toEqual([]);
  });

  test('moving the app to another stack, and removing the database', () => {
    expect(problems({ ...spec, apps: [{ ...spec.apps[0], stack: 'apps' }] }, lock)).toEqual([expect.stringMatching(/^apps\[0\]\.stack: would replace the database of 'main' in 'production': its stackId is 'sandbox-platform' in platform\.lock\.json and 'sandbox-apps' now/)]);
    const { database: _, ...without } = spec.apps[0];
    expect(problems({ ...spec, apps: [{ ...without, secret: { keys: ['host'] } }] }, lock)).toEqual([expect.stringMatching(/^apps\[0\]\.database: is gone, but the database of 'main' in 'production' is in platform\.lock\.json/)]);
  });

  test('a change CloudFormation makes in place is not refused', () => {
    expect(problems(withDatabase(spec, { maxCapacity: 16, backupRetentionDays: 30, engineVersion: '16.8' }), lock)).toEqual([]);
  });

  test('PlatformSpecLoader.fromFile reads the lock beside the spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'database-lock-'));
    try {
      const specPath = join(dir, 'platform.yaml');
      writeFileSync(specPath, readFileSync(EXAMPLE, 'utf8').replace('engine: postgresql', 'engine: mysql\n      engineVersion: 8.0.mysql_aurora.3.08.0'));
      expect(lockPathOf(specPath)).toBe(join(dir, 'platform.lock.json'));
      expect(() => PlatformSpecLoader.fromFile(specPath)).not.toThrow();
      writeFileSync(lockPathOf(specPath), JSON.stringify(lock));
      expect(() => PlatformSpecLoader.fromFile(specPath)).toThrow(PlatformSpecError);
      expect(() => PlatformSpecLoader.fromFile(specPath)).toThrow(/apps\[0\]\.database\.engine: would replace/);
      writeFileSync(lockPathOf(specPath), '{"databases": []}');
      expect(() => PlatformSpecLoader.fromFile(specPath)).toThrow(/platform\.lock\.json: expected/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writeLockBeside, which synth and the CDK app share: written when it changes, left alone when it says the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'database-lock-write-'));
    try {
      const specPath = join(dir, 'platform.yaml');
      const path = join(dir, 'platform.lock.json');
      const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
      expect(writeLockBeside(specPath, platforms)).toEqual({ path, changed: true });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(lock);
      // A lock that says the same is not touched: a synth on a read-only checkout with the lock committed writes nothing.
      const past = new Date('2020-01-01T00:00:00Z');
      utimesSync(path, past, past);
      expect(writeLockBeside(specPath, platforms)).toEqual({ path, changed: false });
      expect(statSync(path).mtime).toEqual(past);
      // The database removed on purpose, its entry removed by hand: an empty lock stays, no database is added back.
      const { database: _database, ...app } = spec.apps[0];
      const without = Platform.resolveEnvironments(PlatformSpecLoader.fromObject({ ...spec, apps: [app] }));
      writeFileSync(path, '{"databases": {}}');
      expect(writeLockBeside(specPath, without)).toEqual({ path, changed: true });
      expect(readFileSync(path, 'utf8')).toBe('{\n  "databases": {}\n}\n');
      // No database and no lock: nothing is written.
      rmSync(path);
      expect(writeLockBeside(specPath, without)).toBeUndefined();
      expect(existsSync(path)).toBe(false);
      // A lock that has to change and cannot be written fails, naming the file and the commands that write it.
      expect(() => writeLockBeside(join(dir, 'missing', 'platform.yaml'), platforms)).toThrow(
        /missing\/platform\.lock\.json: cannot write the lock of the databases \(ENOENT\).*npx cdk-eks-gitops synth, or npx cdk synth/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
