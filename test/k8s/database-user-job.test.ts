// The PreSync Job that creates an application's own database user (lib/k8s/database/
// database-user-job-chart.ts): its objects as Argo CD and Kubernetes read them, and its scripts run
// for real: the PostgreSQL one by psql against a throwaway PostgreSQL server (test/support/
// postgres.ts), with the environment the Job's container gets from the app's Secret; the MySQL one
// checked by shellcheck as the POSIX shell it runs in.
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App as Cdk8sApp } from 'cdk8s';
import { DATABASE_USER_CONTAINER, DATABASE_USER_SCRIPT, DatabaseUserJobChart } from '../../lib/k8s/database/database-user-job-chart';
import { MigrationJobChart, WAIT_FOR_DATABASE_CONTAINER } from '../../lib/k8s/migration/migration-job-chart';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath } from '../fixtures';
import { schemaErrors } from '../support/manifest-checks';
import { postgresBinDir, startPostgres, ThrowawayPostgres } from '../support/postgres';

const ARGOCD_HOOK = 'argocd.argoproj.io/hook';
const ARGOCD_WAVE = 'argocd.argoproj.io/sync-wave';

function resolved(engine: 'postgresql' | 'mysql') {
  const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
  spec.apps[0].database = { ...spec.apps[0].database, engine };
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
  const app = platform.apps[0];
  const chart = new DatabaseUserJobChart(new Cdk8sApp(), 'user', { platform, app });
  return { platform, app, chart, script: chart.script.toJson(), job: chart.job.toJson() };
}

describe('the database user Job', () => {
  const { platform, app, chart, script, job } = resolved('postgresql');
  const container = job.spec.template.spec.containers[0];

  test('is a PreSync hook that runs before the migration, its script a hook of the wave before', () => {
    const migration = new MigrationJobChart(new Cdk8sApp(), 'migration', { platform, app }).toJson();
    const wave = (o: any) => Number(o.metadata.annotations[ARGOCD_WAVE]);
    expect(script.metadata.annotations[ARGOCD_HOOK]).toBe('PreSync');
    expect(job.metadata.annotations[ARGOCD_HOOK]).toBe('PreSync');
    // Argo CD runs a phase's hooks wave by wave, each wave healthy (a Job complete) before the next.
    expect(wave(script)).toBeLessThan(wave(job));
    for (const object of migration) expect(wave(job)).toBeLessThan(wave(object));
    expect(job.metadata.name).toBe('main-database-user');
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'script', configMap: { name: script.metadata.name } });
    expect(schemaErrors(chart.toJson())).toEqual([]);
  });

  test('waits for the database first, its not-ready exits spending no retry, within its deadline', () => {
    expect(job.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual([WAIT_FOR_DATABASE_CONTAINER]);
    expect(job.spec.podFailurePolicy.rules[0]).toMatchObject({ action: 'Ignore', onExitCodes: { containerName: WAIT_FOR_DATABASE_CONTAINER } });
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 300, backoffLimit: 2 });
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('PostgreSQL: psql runs the script itself, no shell; passwords only from the Secret, never on a command line', () => {
    expect(container.name).toBe(DATABASE_USER_CONTAINER);
    expect(container.command).toEqual(['psql', '--no-psqlrc', `--file=/database-user/${DATABASE_USER_SCRIPT.postgresql}`]);
    const fromSecret = Object.fromEntries(container.env.filter((e: any) => e.valueFrom).map((e: any) => [e.name, `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`]));
    expect(fromSecret).toEqual({
      PGHOST: 'main-secrets/database-host',
      PGPORT: 'main-secrets/database-port',
      PGDATABASE: 'main-secrets/database-dbname',
      // psql logs in as the master user, from the Secret no container reads...
      PGUSER: 'main-database-master/username',
      PGPASSWORD: 'main-database-master/password',
      // ...to create the user the containers log in as.
      DATABASE_NAME: 'main-secrets/database-dbname',
      DATABASE_APP_USERNAME: 'main-secrets/database-username',
      DATABASE_APP_PASSWORD: 'main-secrets/database-password',
    });
    expect(app.database!.masterSecret.name).toBe('main-database-master');
    expect(app.secret!.name).toBe('main-secrets');
    expect(container.env.filter((e: any) => !e.valueFrom)).toEqual([{ name: 'PGCONNECT_TIMEOUT', value: '10' }, { name: 'PGSSLMODE', value: 'require' }]);
  });

  describe('its SQL, run by psql against a real PostgreSQL server', () => {
    let server: ThrowawayPostgres;
    const master = { user: 'dbadmin', password: 'master-pass.1' };
    const sql = script.data[DATABASE_USER_SCRIPT.postgresql];
    const dir = mkdtempSync(join(tmpdir(), 'database-user-'));
    const file = join(dir, 'app-user.sql');
    writeFileSync(file, sql);
    /** The container's environment as the kubelet builds it from the Secret External Secrets writes, the server's socket for the RDS endpoint. */
    const jobEnv = (secret: { [key: string]: string }): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...server.env('main') };
      for (const e of container.env) env[e.name] = e.valueFrom ? secret[`${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`] : e.value;
      // RDS refuses connections without TLS (rds.force_ssl); the test server has no certificate.
      return { ...env, PGHOST: server.env('main').PGHOST, PGPORT: server.env('main').PGPORT, PGSSLMODE: 'disable' };
    };
    /** The two Secrets External Secrets writes, by `<Secret>/<key>`. */
    const secret = (username: string, password: string): { [key: string]: string } => ({
      'main-secrets/database-host': 'sandbox-main.cluster-abc.ap-northeast-1.rds.amazonaws.com',
      'main-secrets/database-port': '5432',
      'main-secrets/database-dbname': 'main',
      'main-secrets/database-username': username,
      'main-secrets/database-password': password,
      'main-database-master/username': master.user,
      'main-database-master/password': master.password,
    });
    /** psql as the Job runs it (its command's flags), its output as the Job's log shows it. */
    const runJob = (env: NodeJS.ProcessEnv) => {
      const result = spawnSync(join(postgresBinDir()!, 'psql'), container.command.slice(1).map((a: string) => a.replace('/database-user/app-user.sql', file)), { env, encoding: 'utf8' });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const asMaster = (statement: string) => server.psql(server.env('main'), ['-c', statement]);
    const as = (user: string, password: string, statement: string) => server.psql(server.env('main', user, password), ['-c', statement]);

    beforeAll(() => {
      server = startPostgres(master.user, master.password);
      expect(server.psql(server.env('postgres'), ['-c', 'CREATE DATABASE main']).status).toBe(0);
    });
    afterAll(() => server?.stop());

    test('creates the user with the secret\'s password, once: a second sync changes nothing', () => {
      expect(asMaster('CREATE TABLE orders (id serial PRIMARY KEY, item text)').status).toBe(0);
      const first = runJob(jobEnv(secret('app', 'app-pass.1')));
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/^CREATE ROLE$/m);
      expect(first.stdout).not.toContain('app-pass.1');
      expect(first.status).toBe(0);
      expect(as('app', 'app-pass.1', "INSERT INTO orders (item) VALUES ('a') RETURNING id").stdout).toBe('1');
      // Another sync, the secret unchanged: the same password still logs in.
      expect(runJob(jobEnv(secret('app', 'app-pass.1'))).status).toBe(0);
      expect(as('app', 'app-pass.1', 'SELECT count(*) FROM orders').stdout).toBe('1');
    });

    test('grants what the migration creates later (default privileges), and no DDL', () => {
      expect(asMaster('CREATE TABLE invoices (id serial PRIMARY KEY)').status).toBe(0);
      expect(as('app', 'app-pass.1', 'INSERT INTO invoices DEFAULT VALUES RETURNING id').stdout).toBe('1');
      const ddl = as('app', 'app-pass.1', 'CREATE TABLE mine (i int)');
      expect(ddl.status).not.toBe(0);
      expect(ddl.stderr).toMatch(/permission denied for schema public/);
    });

    test('after a rotation made the clone current (as the alternating-users function does), the clone has the rights and the Job still succeeds', () => {
      // SecretsManagerRDSPostgreSQLRotationMultiUser's setSecret: CREATE ROLE <clone> WITH LOGIN PASSWORD, then GRANT <current> TO <clone>.
      expect(asMaster("CREATE ROLE app_clone WITH LOGIN PASSWORD 'clone-pass.1'").status).toBe(0);
      expect(asMaster('GRANT app TO app_clone').status).toBe(0);
      expect(as('app_clone', 'clone-pass.1', 'SELECT count(*) FROM orders').stdout).toBe('1');
      expect(runJob(jobEnv(secret('app_clone', 'clone-pass.1'))).status).toBe(0);
      expect(as('app_clone', 'clone-pass.1', 'INSERT INTO invoices DEFAULT VALUES RETURNING id').stdout).toBe('2');
      // The previous user keeps its password for the next period.
      expect(as('app', 'app-pass.1', 'SELECT 1').stdout).toBe('1');
    });

    test('a table the master may not grant (another role owns it) is named in the log, not granted, and fails nothing', () => {
      // RDS's master is no superuser: GRANT ... ON ALL TABLES would fail the Job, and every sync, on such a table.
      expect(server.psql(server.superuserEnv('main'), ['-c', 'CREATE TABLE legacy (i int)']).status).toBe(0);
      const run = runJob(jobEnv(secret('app', 'app-pass.1')));
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('not granted to app: public.legacy, owned by rdsadmin, which the master user is not');
      expect(as('app', 'app-pass.1', 'SELECT count(*) FROM legacy').stderr).toMatch(/permission denied for table legacy/);
      expect(as('app', 'app-pass.1', 'SELECT count(*) FROM orders').stdout).toBe('1');
    });

    test('fails, rather than doing something else, when a variable is missing or the master cannot log in', () => {
      const env = jobEnv(secret('app', 'app-pass.1'));
      delete env.DATABASE_APP_USERNAME;
      expect(runJob(env).status).not.toBe(0);
      const wrongMaster = runJob({ ...jobEnv(secret('app', 'app-pass.1')), PGPASSWORD: 'not-it' });
      expect(wrongMaster.status).not.toBe(0);
      expect(wrongMaster.stderr).toMatch(/password authentication failed/);
    });
  });
});

describe('the database user Job on MySQL', () => {
  const { job, script } = resolved('mysql');
  const container = job.spec.template.spec.containers[0];
  const text = script.data[DATABASE_USER_SCRIPT.mysql];

  test('runs its script with sh; the master password goes in MYSQL_PWD, never on a command line', () => {
    expect(container.command).toEqual(['sh', `/database-user/${DATABASE_USER_SCRIPT.mysql}`]);
    expect(text).toMatch(/^set -eu$/m);
    expect(text).toMatch(/^export MYSQL_PWD$/m);
    expect(text).not.toMatch(/--password/);
    // The user requires TLS, which the rotation copies to its clone.
    expect(text).toContain("IDENTIFIED BY '$DATABASE_APP_PASSWORD' REQUIRE SSL;");
    // Every variable the script reads comes from the container's environment.
    const read = [...new Set([...text.matchAll(/\$([A-Z_]+)/g)].map((m) => m[1]))].sort();
    expect(read).toEqual(container.env.map((e: any) => e.name).sort());
  });

  test('run by sh, it gives the client the SQL with the values in place, the master password only in MYSQL_PWD', () => {
    // A stand-in for the client on PATH, recording what it gets: what this test checks is the shell's expansion.
    const dir = mkdtempSync(join(tmpdir(), 'database-user-mysql-'));
    writeFileSync(join(dir, 'mysql'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$RECORD.args"\nprintf "%s" "$MYSQL_PWD" > "$RECORD.pwd"\ncat > "$RECORD.sql"\n', { mode: 0o755 });
    writeFileSync(join(dir, 'app-user.sh'), text);
    const record = join(dir, 'record');
    const env = {
      PATH: `${dir}:${process.env.PATH}`,
      RECORD: record,
      DATABASE_HOST: 'sandbox-main.cluster-abc.ap-northeast-1.rds.amazonaws.com',
      DATABASE_PORT: '3306',
      DATABASE_NAME: 'my_app',
      DATABASE_MASTER_USERNAME: 'dbadmin',
      DATABASE_MASTER_PASSWORD: 'master=pass.1',
      DATABASE_APP_USERNAME: 'app',
      DATABASE_APP_PASSWORD: 'app-pass^1,',
    };
    execFileSync('sh', [join(dir, 'app-user.sh')], { env });
    expect(readFileSync(`${record}.sql`, 'utf8')).toBe(
      "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app-pass^1,' REQUIRE SSL;\n" +
        // '_' escaped: a database-level GRANT takes it as a wildcard.
        "GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON `my\\_app`.* TO 'app'@'%';\n",
    );
    const args = readFileSync(`${record}.args`, 'utf8');
    expect(args.split('\n')).toEqual(expect.arrayContaining(['--user=dbadmin', '--ssl-mode=REQUIRED', '--database=my_app']));
    expect(args).not.toContain('master=pass.1');
    expect(readFileSync(`${record}.pwd`, 'utf8')).toBe('master=pass.1');
    // An unset variable fails the Job before the client runs (set -u).
    const { DATABASE_APP_PASSWORD: _unset, ...missing } = env;
    expect(spawnSync('sh', [join(dir, 'app-user.sh')], { env: missing }).status).not.toBe(0);
  });

  test('shellcheck finds nothing in it, as the POSIX sh it runs in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'database-user-sh-'));
    const file = join(dir, 'app-user.sh');
    writeFileSync(file, text);
    const result = spawnSync('shellcheck', ['--shell=sh', '--format=gcc', file], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
    // sh parses it.
    execFileSync('sh', ['-n', file]);
  });
});
