import { execFileSync, spawnSync } from 'child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Where Debian's `postgresql` package puts the server's programs (`/usr/lib/postgresql/<major>/bin`), the newest first. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'))[0];
}

/** A PostgreSQL server of the test's own, on a Unix socket only, with a master user that logs in by password. */
export interface ThrowawayPostgres {
  /** The libpq variables that reach it as the master user, in the given database. */
  env(database: string, user?: string, password?: string): NodeJS.ProcessEnv;
  /** The libpq variables of the server's superuser, which RDS keeps for itself (`rdsadmin`). */
  superuserEnv(database: string): NodeJS.ProcessEnv;
  /** Runs psql with `env` and returns its status, output and errors. */
  psql(env: NodeJS.ProcessEnv, args: string[]): { status: number | null; stdout: string; stderr: string };
  /** Stops the server and removes its files. */
  stop(): void;
}

/**
 * Starts a PostgreSQL server in a temporary directory: `initdb` with password authentication
 * (scram-sha-256, as RDS), `pg_ctl start` listening on a Unix socket only, and a master user made as
 * RDS makes its own: no superuser, but CREATEROLE and CREATEDB (RDS adds the role rds_superuser,
 * which grants nothing on tables it does not own). The server refuses to run as root, so under root
 * (CI containers) it runs as `nobody` through `setpriv`.
 */
export function startPostgres(masterUser: string, masterPassword: string): ThrowawayPostgres {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): the database user tests run its SQL on a real server');
  const root = process.getuid?.() === 0;
  // Under root the server runs as nobody, which cannot enter the run's own temporary directory
  // (mode 700): its directory is in the system's, and stop() removes it.
  const dir = mkdtempSync(join(root ? '/tmp' : tmpdir(), 'cdk-eks-gitops-postgres-'));
  const asServer = (program: string, args: string[]) => {
    const [command, argv] = root ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', join(bin, program), ...args]] : [join(bin, program), args];
    execFileSync(command, argv, { stdio: 'pipe' });
  };
  const passwordFile = join(dir, 'password');
  const superuserPassword = `superuser-${process.pid}`;
  writeFileSync(passwordFile, `${superuserPassword}\n`);
  if (root) {
    chownSync(dir, 65534, 65534);
    chownSync(passwordFile, 65534, 65534);
  }
  const data = join(dir, 'data');
  const superuser = 'rdsadmin';
  asServer('initdb', ['-D', data, '-U', superuser, '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--no-sync']);
  const port = '5432';
  asServer('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses='' -p ${port} -c fsync=off`, '-w', 'start']);
  const env = (database: string, user = masterUser, password = masterPassword): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    PGHOST: dir,
    PGPORT: port,
    PGUSER: user,
    PGPASSWORD: password,
    PGDATABASE: database,
  });
  const psql = (environment: NodeJS.ProcessEnv, args: string[]) => {
    const result = spawnSync(join(bin, 'psql'), ['--no-psqlrc', '-X', '--quiet', '--tuples-only', '--no-align', ...args], { env: environment, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
  };
  const superuserEnv = (database: string) => env(database, superuser, superuserPassword);
  // psql interpolates variables in a script, not in -c: the role is made from stdin.
  const role = spawnSync(join(bin, 'psql'), ['--no-psqlrc', '-X', '--quiet', '-v', 'ON_ERROR_STOP=1', '-v', `master=${masterUser}`, '-v', `password=${masterPassword}`], {
    env: superuserEnv('postgres'),
    input: 'CREATE ROLE :"master" WITH LOGIN CREATEROLE CREATEDB PASSWORD :\'password\';\n',
    encoding: 'utf8',
  });
  if (role.status !== 0) throw new Error(`could not create the master user: ${role.stderr}`);
  return {
    env,
    superuserEnv,
    psql,
    stop() {
      try {
        asServer('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
