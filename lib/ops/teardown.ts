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
 */
export function teardownSteps(platform: ResolvedPlatform, tools: TeardownTools = {}): TeardownStep[] {
  const kubectl = tools.kubectl ?? ['kubectl'];
  const aws = tools.aws ?? ['aws'];
  const ns = platform.argocd.namespace;
  // The root's children, and the Applications argocd-cli release workflows created beside them.
  const cliApps = new Set(platform.apps.filter((app) => app.delivery === DeliveryMode.ARGOCD_CLI).map((app) => app.application.name));
  const children = [...platform.applications.map((child) => child.name), ...cliApps];
  return [
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
    log(`${i + 1}/${steps.length} ${step.description}\n    $ ${step.command.map(quoteArg).join(' ')}`);
    if (options.dryRun) continue;
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

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}
