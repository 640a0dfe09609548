import { spawnSync } from 'child_process';
import type { ResolvedPlatform } from '../spec/resolved';
import { DeliveryMode } from '../spec/types';

/** The commands the teardown runs, each with the arguments that select a cluster or a profile. */
export interface TeardownTools {
  /**
   * kubectl, e.g. `['kubectl', '--context', 'my-cluster']`.
   * @default ['kubectl'] - the current context
   */
  readonly kubectl?: string[];
  /**
   * The AWS CLI, e.g. `['aws', '--profile', 'admin']`.
   * @default ['aws']
   */
  readonly aws?: string[];
}

/** One step of the teardown: a command, and what it is for. */
export interface TeardownStep {
  /** What the step does, for the person running it. */
  readonly description: string;
  /** The command and its arguments (no shell). */
  readonly command: string[];
  /** Whether the teardown goes on when the command fails (an object already gone). */
  readonly mayFail?: boolean;
  /**
   * Repeat the command until its standard output is empty, at most this many times, 10 s apart: a
   * wait for something a controller removes in the background.
   */
  readonly untilEmpty?: number;
  /**
   * A check instead of an action: this other command must print the same non-empty line as
   * `command`, or the teardown stops (before anything is deleted) with `mismatchHint`.
   */
  readonly sameOutputAs?: string[];
  /** What to do when a check's two commands print different things. */
  readonly mismatchHint?: string;
}

/**
 * The order that takes a platform down without leaving anything that blocks `cdk destroy`.
 *
 * The ALBs, their security groups and the Route 53 records are created by controllers in the
 * cluster, not by CloudFormation: deleted with the cluster, they would be left behind, and the VPC
 * could not be deleted while an ALB's network interfaces are in it. So, before `cdk destroy`:
 *
 * 1. delete the root Application (it has no resources finalizer, so its children stay) and turn off
 *    the children's automated sync, so Argo CD recreates nothing that is deleted next;
 * 2. delete every Ingress and wait: the load balancer controller's finalizer removes the ALB and its
 *    security groups before the Ingress goes;
 * 3. wait until ExternalDNS, still running, has removed each host's records (`--policy=sync`);
 * 4. delete the child Applications: their resources finalizer deletes everything they deployed.
 *
 * With several environments, each a cluster of its own whose namespaces have the same names as the
 * others', a first step checks that kubectl points at this environment's cluster: the API server of
 * its context must be the endpoint EKS reports for the cluster (in the account of the AWS
 * credentials). Deleting the Ingresses of `main` in the wrong cluster would take another
 * environment's traffic down, and the root Application's name would not even be found there.
 */
export function teardownSteps(platform: ResolvedPlatform, tools: TeardownTools = {}): TeardownStep[] {
  const hub = platform.argocd.hub;
  if (hub) {
    // Its Applications are in the hub's cluster, its Ingresses in its own: two contexts, not one.
    throw new Error(
      `teardown: environment '${platform.environment}' is managed by the Argo CD of '${hub.environment}' (argocd.hub), and the teardown runs every step in one cluster; ` +
        'with a hub, take an environment down by hand in the same order (see the README, "One Argo CD for every environment"): ' +
        `its root Application and its child Applications' automated sync in ${hub.clusterName}, its Ingresses and DNS records in ${platform.cluster.name}, then its child Applications in ${hub.clusterName}`,
    );
  }
  const kubectl = tools.kubectl ?? ['kubectl'];
  const aws = tools.aws ?? ['aws'];
  const cluster = platform.cluster.name;
  const ns = platform.argocd.namespace;
  // The root's children, and the Applications argocd-cli release workflows created beside them.
  const cliApps = new Set(platform.apps.filter((app) => app.delivery === DeliveryMode.ARGOCD_CLI).map((app) => app.application.name));
  const children = [...platform.applications.map((child) => child.name), ...cliApps];
  const clusterCheck: TeardownStep[] = platform.environments.length > 1
    ? [
      {
        description: `Check that kubectl's context is cluster ${cluster} of environment ${platform.environment}: its API server is the endpoint EKS reports`,
        // kubectl applies --context to `config view --minify` since 1.11 (kubernetes/kubernetes#64608).
        command: [...kubectl, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'],
        // update-kubeconfig writes this endpoint as the context's server.
        sameOutputAs: [...aws, 'eks', 'describe-cluster', '--name', cluster, '--region', platform.region, '--query', 'cluster.endpoint', '--output', 'text'],
        mismatchHint:
          `kubectl is not pointed at ${cluster}: run 'aws eks update-kubeconfig --name ${cluster} --region ${platform.region} --alias ${cluster}' ` +
          `with credentials of account ${platform.account}, then give --context ${cluster} (and --profile for that account)`,
      },
    ]
    : [];
  return [
    ...clusterCheck,
    {
      description: `Delete the root Application ${platform.argocd.rootApplication} (its children stay)`,
      command: [...kubectl, 'delete', 'application', platform.argocd.rootApplication, '-n', ns, '--ignore-not-found', '--wait=true'],
    },
    ...children.map((name) => ({
      description: `Stop automated sync of ${name}${cliApps.has(name) ? ' (created by its release workflow)' : ''}`,
      command: [...kubectl, 'patch', 'application', name, '-n', ns, '--type', 'merge', '-p', '{"spec":{"syncPolicy":{"automated":null}}}'],
      mayFail: true,
    })),
    ...platform.apps.map((app) => ({
      description: `Delete the Ingresses of ${app.name}; the load balancer controller removes the ALB and its security groups first`,
      command: [...kubectl, 'delete', 'ingress', '--all', '-n', app.namespace, '--ignore-not-found', '--wait=true', '--timeout=15m'],
    })),
    ...platform.apps.map((app) => ({
      description: `Wait until ExternalDNS has removed the records of ${app.host}`,
      command: [
        ...aws,
        'route53',
        'list-resource-record-sets',
        '--hosted-zone-id',
        platform.dns.hostedZoneId,
        '--query',
        `ResourceRecordSets[?Name == '${app.host}.'].Type`,
        '--output',
        'text',
      ],
      untilEmpty: 30,
    })),
    {
      description: 'Delete the child Applications; their resources finalizer deletes what they deployed',
      command: [...kubectl, 'delete', 'application', ...children, '-n', ns, '--ignore-not-found', '--wait=true', '--timeout=15m'],
    },
  ];
}

/** Options of `runTeardown`. */
export interface RunTeardownOptions {
  /** Print the steps, run nothing. */
  readonly dryRun?: boolean;
  /** Where progress goes. */
  readonly log?: (line: string) => void;
  /** Pause between repeats of a waiting step, in milliseconds. */
  readonly pollMilliseconds?: number;
}

/**
 * Runs the teardown steps in order, stopping at the first failure that matters.
 *
 * @returns `undefined` when every step succeeded, else the message of the failure
 */
export function runTeardown(steps: TeardownStep[], options: RunTeardownOptions = {}): string | undefined {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  for (const [i, step] of steps.entries()) {
    const also = step.sameOutputAs ? `\n    $ ${step.sameOutputAs.map(quoteArg).join(' ')}    (must print the same)` : '';
    log(`${i + 1}/${steps.length} ${step.description}\n    $ ${step.command.map(quoteArg).join(' ')}${also}`);
    if (options.dryRun) continue;
    if (step.sameOutputAs) {
      const failure = check(step, i + 1);
      if (failure) return failure;
      continue;
    }
    for (let attempt = 1; ; attempt++) {
      const result = spawnSync(step.command[0], step.command.slice(1), { encoding: 'utf8' });
      if (result.error) return `${step.command[0]} could not be run (${result.error.message}); install it and check your credentials`;
      if (result.status !== 0) {
        if (step.mayFail) break;
        return `step ${i + 1} failed (exit ${result.status}): ${result.stderr.trim() || result.stdout.trim()}`;
      }
      if (!step.untilEmpty || result.stdout.trim() === '') break;
      if (attempt >= step.untilEmpty) return `step ${i + 1} did not finish: still ${result.stdout.trim()}`;
      sleep(options.pollMilliseconds ?? 10_000);
    }
  }
  return undefined;
}

/** Runs a check step's two commands: `undefined` when they print the same non-empty line, else why not. */
function check(step: TeardownStep, number: number): string | undefined {
  const outputs: string[] = [];
  for (const command of [step.command, step.sameOutputAs!]) {
    const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
    if (result.error) return `${command[0]} could not be run (${result.error.message}); install it and check your credentials`;
    if (result.status !== 0) return `step ${number} failed (exit ${result.status}): ${result.stderr.trim() || result.stdout.trim()}`;
    outputs.push(result.stdout.trim());
  }
  const [actual, expected] = outputs;
  if (actual !== '' && actual === expected) return undefined;
  const shown = (output: string) => (output === '' ? '(nothing)' : `'${output}'`);
  return `step ${number}: ${shown(actual)} is not ${shown(expected)}; ${step.mismatchHint ?? 'fix it and run the teardown again'}. Nothing was deleted`;
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}
