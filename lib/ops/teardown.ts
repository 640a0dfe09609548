import { spawnSync } from 'child_process';
import type { ResolvedPlatform } from '../model/resolved';
import { ComputeMode, DeliveryMode } from '../model/types';

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
  /** What to do when the command fails, said after its own message. */
  readonly failureHint?: string;
  /** A check before anything is deleted: its failure says that nothing was. */
  readonly precondition?: boolean;
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
 * 2. delete each app's previews (its ApplicationSet, in the foreground: the ApplicationSet goes only
 *    once every preview Application, whose resources finalizer deletes its Namespace and Ingress, has
 *    gone), then wait until the previews' ExternalDNS has removed their records: a preview's Ingress
 *    in the app's ALB group would keep the ALB, and the ApplicationSet, left running, would make new
 *    previews;
 * 3. delete every Ingress and wait: the load balancer controller's finalizer removes the ALB and its
 *    security groups before the Ingress goes;
 * 4. wait until ExternalDNS, still running, has removed each host's records (`--policy=sync`);
 * 5. delete the child Applications: their resources finalizer deletes everything they deployed.
 *
 * With EKS Auto Mode (`cluster.compute.mode: auto-mode`), EKS's own load balancing removes the ALBs
 * in step 2, and the nodes are EKS's: `cdk destroy` deletes the cluster before the subnets and the
 * VPC (the cluster depends on them), and deleting an Auto Mode cluster deletes its nodes, their EC2
 * managed instances and its load balancers (EKS user guide, "Delete a cluster", considerations for
 * EKS Auto Mode), so nothing they launched is left in the VPC. The Ingresses still go first, while
 * ExternalDNS runs to remove their records.
 *
 * With Karpenter (`karpenter`), the nodes it launched are EC2 instances no stack owns: the child
 * Applications' deletion takes the default NodePool with it, Karpenter (on the managed node group,
 * installed by the stack) drains and terminates its nodes, and a last step waits until no NodeClaim
 * is left, before `cdk destroy` removes Karpenter itself.
 *
 * Two checks come first, before anything is deleted, for every spec: that kubectl points at this
 * platform's cluster (the API server of its context must be the endpoint EKS reports for the cluster
 * in the account of the AWS credentials, which also shows the `aws` CLI is there and the credentials
 * work), and that kubectl reaches that API server. The namespaces and Application names of one
 * platform are those of the next (two environments of a spec; two single-environment specs for
 * staging and production, with the same apps): in the wrong cluster, deleting the Ingresses of
 * `main` would take another platform's traffic down.
 */
export function teardownSteps(platform: ResolvedPlatform, tools: TeardownTools = {}): TeardownStep[] {
  const hub = platform.argocd.hub;
  if (hub) {
    // Its Applications are in the hub's cluster, its Ingresses in its own: two contexts, not one.
    throw new Error(
      `teardown: environment '${platform.environment}' is managed by the Argo CD of '${hub.environment}' (argocd.hub), and the teardown runs every step in one cluster; ` +
        'with a hub, take an environment down by hand in the same order (see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/aws.md#one-argo-cd-for-every-environment-argocdhub): ' +
        `its root Application and its child Applications' automated sync in ${hub.clusterName}, its Ingresses and DNS records in ${platform.cluster.name}, then its child Applications in ${hub.clusterName}`,
    );
  }
  const kubectl = tools.kubectl ?? ['kubectl'];
  const aws = tools.aws ?? ['aws'];
  // The types of the zone's records that match a JMESPath filter: empty once ExternalDNS has removed them.
  const recordTypes = (filter: string) => [
    ...aws,
    'route53',
    'list-resource-record-sets',
    '--hosted-zone-id',
    platform.dns.hostedZoneId,
    '--query',
    `ResourceRecordSets[?${filter}].Type`,
    '--output',
    'text',
  ];
  const cluster = platform.cluster.name;
  const ns = platform.argocd.namespace;
  // The root's children, and the Applications argocd-cli release workflows created beside them.
  const cliApps = new Set(platform.apps.filter((app) => app.delivery === DeliveryMode.ARGOCD_CLI).map((app) => app.application.name));
  const children = [...platform.applications.map((child) => child.name), ...cliApps];
  const loadBalancers = platform.cluster.compute === ComputeMode.AUTO_MODE ? "EKS Auto Mode's load balancing" : 'the load balancer controller';
  const updateKubeconfig = `aws eks update-kubeconfig --name ${cluster} --region ${platform.region} --alias ${cluster}`;
  const preflight: TeardownStep[] = [
    {
      description: `Check that kubectl's context is cluster ${cluster}${platform.environments.length > 1 ? ` of environment ${platform.environment}` : ''}: its API server is the endpoint EKS reports`,
      // kubectl applies --context to `config view --minify` since 1.11 (kubernetes/kubernetes#64608).
      command: [...kubectl, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'],
      // update-kubeconfig writes this endpoint as the context's server.
      sameOutputAs: [...aws, 'eks', 'describe-cluster', '--name', cluster, '--region', platform.region, '--query', 'cluster.endpoint', '--output', 'text'],
      mismatchHint:
        `kubectl is not pointed at ${cluster}: run '${updateKubeconfig}' ` +
        `with credentials of account ${platform.account}, then give --context ${cluster} (and --profile for that account)`,
      precondition: true,
    },
    {
      description: `Check that kubectl reaches the API server of ${cluster}`,
      // /version is readable by every authenticated user (the system:public-info-viewer role), so
      // this fails only when the server cannot be reached or the credentials are refused.
      command: [...kubectl, 'get', '--raw', '/version'],
      failureHint: `kubectl cannot reach ${cluster}'s API server with its credentials: check the network path to the endpoint and '${updateKubeconfig}'`,
      precondition: true,
    },
  ];
  return [
    ...preflight,
    {
      description: `Delete the root Application ${platform.argocd.rootApplication} (its children stay)`,
      command: [...kubectl, 'delete', 'application', platform.argocd.rootApplication, '-n', ns, '--ignore-not-found', '--wait=true'],
    },
    ...children.map((name) => ({
      description: `Stop automated sync of ${name}${cliApps.has(name) ? ' (created by its release workflow)' : ''}`,
      command: [...kubectl, 'patch', 'application', name, '-n', ns, '--type', 'merge', '-p', '{"spec":{"syncPolicy":{"automated":null}}}'],
      mayFail: true,
    })),
    ...platform.apps.flatMap((app) => {
      const previews = app.previews;
      if (!previews) return [];
      return [
        {
          description: `Delete the previews of ${app.name}: the ApplicationSet ${previews.applicationSetName} goes once each preview's Application has deleted its Namespace and Ingress`,
          command: [...kubectl, 'delete', 'applicationset', previews.applicationSetName, '-n', ns, '--ignore-not-found', '--cascade=foreground', '--wait=true', '--timeout=15m'],
        },
        {
          description: `Wait until the previews' ExternalDNS has removed the records of ${previews.hostPrefix}<number>.${app.host}`,
          command: recordTypes(`starts_with(Name, '${previews.hostPrefix}') && ends_with(Name, '.${app.host}.')`),
          untilEmpty: 30,
        },
      ];
    }),
    ...platform.apps.map((app) => ({
      description: `Delete the Ingresses of ${app.name}; ${loadBalancers} removes the ALB and its security groups first`,
      command: [...kubectl, 'delete', 'ingress', '--all', '-n', app.namespace, '--ignore-not-found', '--wait=true', '--timeout=15m'],
    })),
    ...platform.apps.map((app) => ({
      description: `Wait until ExternalDNS has removed the records of ${app.host}`,
      command: recordTypes(`Name == '${app.host}.'`),
      untilEmpty: 30,
    })),
    {
      description: 'Delete the child Applications; their resources finalizer deletes what they deployed',
      command: [...kubectl, 'delete', 'application', ...children, '-n', ns, '--ignore-not-found', '--wait=true', '--timeout=15m'],
    },
    // Karpenter, still running on the managed node group, terminates the nodes of the deleted NodePool.
    ...(platform.cluster.compute === ComputeMode.KARPENTER
      ? [{
        description: 'Wait until Karpenter has terminated the nodes it launched (the NodePool went with its Application): left running, they keep the VPC from being deleted',
        command: [...kubectl, 'get', 'nodeclaims.karpenter.sh', '-o', 'name'],
        untilEmpty: 60,
      }]
      : []),
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
    // Until the first step that deletes, a failure can say that nothing was deleted.
    const nothingYet = steps.slice(0, i + 1).every((s) => s.precondition);
    const failure = runStep(step, i + 1, options);
    if (failure) return nothingYet ? `${failure}. Nothing was deleted` : failure;
  }
  return undefined;
}

/** Runs one step: `undefined` when it succeeded (or may fail), else why not, in one line. */
function runStep(step: TeardownStep, number: number, options: RunTeardownOptions): string | undefined {
  if (step.sameOutputAs) return check(step, number);
  for (let attempt = 1; ; attempt++) {
    const result = run(step.command);
    if (typeof result === 'string') return result;
    if (result.status !== 0) {
      if (step.mayFail) return undefined;
      return failed(step, number, result);
    }
    if (!step.untilEmpty || result.stdout.trim() === '') return undefined;
    if (attempt >= step.untilEmpty) return `step ${number} did not finish: still ${oneLine(result.stdout)}`;
    sleep(options.pollMilliseconds ?? 10_000);
  }
}

/** Runs a check step's two commands: `undefined` when they print the same non-empty line, else why not. */
function check(step: TeardownStep, number: number): string | undefined {
  const outputs: string[] = [];
  for (const command of [step.command, step.sameOutputAs!]) {
    const result = run(command);
    if (typeof result === 'string') return result;
    if (result.status !== 0) return failed(step, number, result);
    outputs.push(result.stdout.trim());
  }
  const [actual, expected] = outputs;
  if (actual !== '' && actual === expected) return undefined;
  const shown = (output: string) => (output === '' ? '(nothing)' : `'${oneLine(output)}'`);
  return `step ${number}: ${shown(actual)} is not ${shown(expected)}; ${step.mismatchHint ?? 'fix it and run the teardown again'}`;
}

/** Runs a command; a string says it could not be run at all. */
function run(command: string[]): { status: number | null; stdout: string; stderr: string } | string {
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8' });
  if (!result.error) return result;
  if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') return `${command[0]} is not installed (not found on the PATH): install it, then run the teardown again`;
  return `${command[0]} could not be run (${result.error.message})`;
}

/** A failed step in one line: its number, exit status, the command's last word on it, and the hint. */
function failed(step: TeardownStep, number: number, result: { status: number | null; stdout: string; stderr: string }): string {
  const said = oneLine(result.stderr) || oneLine(result.stdout);
  return `step ${number} failed (exit ${result.status})${said ? `: ${said}` : ''}${step.failureHint ? `; ${step.failureHint}` : ''}`;
}

/** The last non-empty line of a command's output: kubectl and aws end with their summary of the error. */
function oneLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

function quoteArg(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function sleep(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}
