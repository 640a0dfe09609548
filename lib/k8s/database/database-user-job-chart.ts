import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DATABASE_CLIENT_RESOURCES, databaseClientSecurityContext, waitForDatabase, waitForDatabasePolicy } from './wait-for-database';
import type { ResolvedApp, ResolvedDatabase, ResolvedPlatform } from '../../model/resolved';
import { DatabaseEngine } from '../../model/types';
import { DATABASE_CLIENT_IMAGES } from '../../versions';
import { preSyncHook } from '../argocd/annotations';
import { appLabels } from '../labels';
import { plainEnv, resourceRequirements, restrictedPodSecurityContext, secretEnv, TMP_MOUNT, TMP_VOLUME } from '../pod-security';

/** Properties of a `DatabaseUserJobChart`. */
export interface DatabaseUserJobChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application; it must have a database. */
  readonly app: ResolvedApp;
}

/** Name of the container that creates the application's user. */
export const DATABASE_USER_CONTAINER = 'create-app-user';

/** Where the Job's script is mounted. */
const SCRIPT_DIR = '/database-user';

/** The file of the script in the ConfigMap, by engine. */
export const DATABASE_USER_SCRIPT: { readonly [engine in DatabaseEngine]: string } = {
  [DatabaseEngine.POSTGRESQL]: 'app-user.sql',
  [DatabaseEngine.MYSQL]: 'app-user.sh',
};

/**
 * The variables the scripts read, which are the Job's own (not the spec's `database.variables`). On
 * PostgreSQL psql connects through libpq's own (`PGHOST`, `PGUSER`, `PGPASSWORD`...), and the
 * script reads only the database's name and the application user's.
 */
export const DATABASE_USER_ENV = {
  host: 'DATABASE_HOST',
  port: 'DATABASE_PORT',
  dbname: 'DATABASE_NAME',
  masterUsername: 'DATABASE_MASTER_USERNAME',
  masterPassword: 'DATABASE_MASTER_PASSWORD',
  appUsername: 'DATABASE_APP_USERNAME',
  appPassword: 'DATABASE_APP_PASSWORD',
} as const;

/**
 * PostgreSQL: the application's user, created if it is missing with the password its secret holds
 * now, then granted the data of the `public` schema: the tables and sequences there, and, by default
 * privileges, those the master user (the migration) creates there later. psql reads the variables
 * itself (`\getenv`, psql 15 and later), so no shell handles the password, and `ON_ERROR_STOP` makes
 * the first failed statement the Job's failure. The clone the rotation makes (`app_clone`) is granted
 * `app` by the rotation itself (its `GRANT <current> TO <clone>`), and so holds the same rights.
 *
 * RDS's master user is no superuser: it may grant only what it owns (or what a role it belongs to
 * owns). `GRANT ... ON ALL TABLES IN SCHEMA` fails outright on a table it may not grant, which would
 * fail every sync, so each table and sequence it may grant is granted on its own, and those it may
 * not are listed in the Job's log instead.
 */
export const POSTGRESQL_APP_USER_SQL = `-- The application's own user and what it may do (cdk-eks-gitops: ${DATABASE_USER_SCRIPT[DatabaseEngine.POSTGRESQL]}).
\\set ON_ERROR_STOP on
\\getenv app_user ${DATABASE_USER_ENV.appUsername}
\\getenv app_password ${DATABASE_USER_ENV.appPassword}
\\getenv dbname ${DATABASE_USER_ENV.dbname}
-- Created once: afterwards the rotation owns the password, and this changes nothing.
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \\gexec
GRANT CONNECT ON DATABASE :"dbname" TO :"app_user";
GRANT USAGE ON SCHEMA public TO :"app_user";
-- Each table and sequence of public the master may grant; the others are named, not granted.
SELECT format('GRANT %s ON %s public.%I TO %I',
    CASE c.relkind WHEN 'S' THEN 'USAGE, SELECT, UPDATE' ELSE 'SELECT, INSERT, UPDATE, DELETE' END,
    CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.relname, :'app_user')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'f', 'S') AND pg_has_role(current_user, c.relowner, 'USAGE')
  ORDER BY c.relname \\gexec
SELECT format('not granted to %s: public.%I, owned by %s, which the master user is not', :'app_user', c.relname, pg_get_userbyid(c.relowner)) AS skipped
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'f', 'S') AND NOT pg_has_role(current_user, c.relowner, 'USAGE')
  ORDER BY c.relname;
-- What the master user (the migration) creates in public later.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO :"app_user";
`;

/**
 * MySQL: the same, through the client, which reads no variables of its own in SQL: a POSIX shell
 * script with `set -eu` (an unset variable or a failed statement fails the Job), the master's
 * password passed in `MYSQL_PWD` (never on a command line). The passwords hold no quote, backslash,
 * `$` or backtick (the secrets' and the rotation's excluded characters), so they stand in the quoted
 * SQL as they are. The user requires TLS, which the rotation copies to its clone with the grants
 * (its `SHOW GRANTS` and `REQUIRE` copy). In a database-level GRANT, `_` and `%` are wildcards
 * (MySQL reference, "Account Names", database names in GRANT): `_` in the name is escaped, so
 * `my_app` grants nothing on `myxapp`; a database name holds no `%` (the spec's pattern).
 */
export const MYSQL_APP_USER_SCRIPT = `#!/bin/sh
# The application's own user and what it may do (cdk-eks-gitops: ${DATABASE_USER_SCRIPT[DatabaseEngine.MYSQL]}).
set -eu
# The database's name as a GRANT matches it: '_' is a wildcard there.
database_pattern=$(printf '%s\\n' "$${DATABASE_USER_ENV.dbname}" | sed 's/_/\\\\_/g')
MYSQL_PWD="$${DATABASE_USER_ENV.masterPassword}"
export MYSQL_PWD
mysql --host="$${DATABASE_USER_ENV.host}" --port="$${DATABASE_USER_ENV.port}" --user="$${DATABASE_USER_ENV.masterUsername}" \\
  --ssl-mode=REQUIRED --database="$${DATABASE_USER_ENV.dbname}" <<SQL
CREATE USER IF NOT EXISTS '$${DATABASE_USER_ENV.appUsername}'@'%' IDENTIFIED BY '$${DATABASE_USER_ENV.appPassword}' REQUIRE SSL;
GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON \\\`$database_pattern\\\`.* TO '$${DATABASE_USER_ENV.appUsername}'@'%';
SQL
`;

/**
 * The PreSync Job that makes the application's own database user, `<app>-database-user`, before the
 * migration in every sync. Secrets Manager's alternating-users rotation changes a user's password
 * only after logging in with the current one, so the user must exist before the first rotation:
 * the Job creates it (when missing) with the password of the application user's secret, logged in as
 * the master user, and grants it the data of the database. It changes nothing once the user exists,
 * so it is safe in every sync; grants are repeated, so a user made by hand gets them too.
 *
 * Its script is a ConfigMap hook of the wave before (the Job mounts it); it waits for the database
 * first, as the migration does, and a wait that finds it not ready spends none of its retries.
 */
export class DatabaseUserJobChart extends Chart {
  /** The ConfigMap with the script. */
  public readonly script: k8s.KubeConfigMap;
  /** The Job. */
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: DatabaseUserJobChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const database: ResolvedDatabase | undefined = app.database;
    if (!database || !app.secret) throw new Error(`DatabaseUserJobChart: app '${app.name}' has no database`);
    const labels = appLabels(platform, app, 'database-user');
    const postgres = database.engine === DatabaseEngine.POSTGRESQL;
    const file = DATABASE_USER_SCRIPT[database.engine];

    this.script = new k8s.KubeConfigMap(this, 'Script', {
      metadata: { name: database.userJob.name, namespace: app.namespace, labels, annotations: preSyncHook(-3) },
      data: { [file]: postgres ? POSTGRESQL_APP_USER_SQL : MYSQL_APP_USER_SCRIPT },
    });

    const env = DATABASE_USER_ENV;
    const keys = database.secretKeys;
    const master = database.masterSecret;
    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name: database.userJob.name, namespace: app.namespace, labels, annotations: preSyncHook(-2) },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: database.userJob.deadlineSeconds,
        podFailurePolicy: waitForDatabasePolicy(database),
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            // It calls no Kubernetes or AWS API.
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            initContainers: [waitForDatabase(database, app.secret.name)],
            containers: [
              {
                name: DATABASE_USER_CONTAINER,
                image: DATABASE_CLIENT_IMAGES[database.engine],
                imagePullPolicy: 'IfNotPresent',
                command: postgres ? ['psql', '--no-psqlrc', `--file=${SCRIPT_DIR}/${file}`] : ['sh', `${SCRIPT_DIR}/${file}`],
                env: postgres
                  ? [
                    // libpq's own variables: psql connects as the master user, over TLS; the script reads the rest.
                    ...plainEnv({ PGCONNECT_TIMEOUT: '10', PGSSLMODE: 'require' }),
                    ...secretEnv(app.secret.name, {
                      PGHOST: keys.host,
                      PGPORT: keys.port,
                      PGDATABASE: keys.dbname,
                      [env.dbname]: keys.dbname,
                      [env.appUsername]: keys.username,
                      [env.appPassword]: keys.password,
                    }),
                    ...secretEnv(master.name, { PGUSER: master.usernameKey, PGPASSWORD: master.passwordKey }),
                  ]
                  : [
                    ...secretEnv(app.secret.name, {
                      [env.host]: keys.host,
                      [env.port]: keys.port,
                      [env.dbname]: keys.dbname,
                      [env.appUsername]: keys.username,
                      [env.appPassword]: keys.password,
                    }),
                    ...secretEnv(master.name, { [env.masterUsername]: master.usernameKey, [env.masterPassword]: master.passwordKey }),
                  ],
                resources: resourceRequirements(DATABASE_CLIENT_RESOURCES),
                securityContext: databaseClientSecurityContext(),
                volumeMounts: [{ name: 'script', mountPath: SCRIPT_DIR, readOnly: true }, TMP_MOUNT],
              },
            ],
            volumes: [{ name: 'script', configMap: { name: database.userJob.name } }, TMP_VOLUME],
          },
        },
      },
    });
  }
}
