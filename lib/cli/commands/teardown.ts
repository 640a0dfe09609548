import { stackIds } from '../../model/naming';
import type { ResolvedPlatform } from '../../model/resolved';
import { runTeardown, teardownSteps } from '../../ops/teardown';
import { loadPlatform } from '../../platform/loader';
import type { Command, CommandContext, OptionValues } from '../command';
import { SPEC_OPTION_HELP, specPathOf } from '../spec-option';
import { UsageError } from '../usage-error';

const HELP = `Usage: cdk-eks-gitops teardown [--spec FILE] [--environment NAME] [--context NAME] [--profile NAME] (--dry-run | --yes)

Removes, before 'cdk destroy', what controllers in the cluster created outside CloudFormation and
what would keep the VPC from being deleted: it deletes the root Application, turns off the child
Applications' automated sync, deletes every Ingress (the load balancer controller removes the ALB
and its security groups first), waits until ExternalDNS has removed each host's records, then deletes
the child Applications and everything they deployed. Run it with kubectl pointed at the cluster and
AWS credentials for the account; then run 'npx cdk destroy --all'.

Before anything is deleted it checks that kubectl's context is the platform's cluster (its API
server is the endpoint EKS reports for the cluster, in the account of the AWS credentials) and that
kubectl reaches it; a missing kubectl or aws CLI stops it there too.

A spec with several environments has a cluster per environment: the teardown takes one down, the
one --environment names. Then destroy that environment's stacks, which the teardown names.

Options:
${SPEC_OPTION_HELP}
  --environment NAME    the environment to take down (required when the spec has several)
  --context NAME        the kubectl context of the cluster (default: the current one)
  --profile NAME        the AWS CLI profile (default: the environment's credentials)
  --dry-run             print the commands, run nothing
  --yes                 run them (the teardown deletes the platform's workloads)
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops teardown --dry-run
  npx cdk-eks-gitops teardown --yes && npx cdk destroy --all
  npx cdk-eks-gitops teardown --environment production --context shop-production --profile production --yes
`;

/** `cdk-eks-gitops teardown`: what has to go before `cdk destroy`, in order. */
export const teardownCommand: Command = {
  name: 'teardown',
  help: HELP,
  options: {
    'spec': { type: 'string' },
    'environment': { type: 'string' },
    'context': { type: 'string' },
    'profile': { type: 'string' },
    'dry-run': { type: 'boolean' },
    'yes': { type: 'boolean' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'teardown');
    const dryRun = values['dry-run'] === true;
    if (dryRun === (values.yes === true)) {
      throw new UsageError('give --dry-run to see the commands, or --yes to run them (the teardown deletes the platform\'s workloads)', 'teardown');
    }
    const specPath = specPathOf(values, context, 'teardown');
    const { platforms } = await loadPlatform(specPath);
    const platform = environmentOf(platforms, values.environment as string | undefined);
    const kubectl = ['kubectl', ...(values.context ? ['--context', values.context as string] : [])];
    const aws = ['aws', ...(values.profile ? ['--profile', values.profile as string] : [])];
    const failure = runTeardown(teardownSteps(platform, { kubectl, aws }), { dryRun, log: (line) => context.out(`${line}\n`) });
    if (failure) {
      context.err(`teardown stopped: ${failure}\nFix it and run the teardown again: every step can be repeated.\n`);
      return 1;
    }
    const destroy = platforms.length > 1 ? `npx cdk destroy -c spec=${specPath} ${stackIds(platform).join(' ')}` : 'npx cdk destroy --all';
    context.out(dryRun ? '\nNothing was run (--dry-run).\n' : `\nDone. Now run: ${destroy}\n`);
    const pullers = platform.images.holdsRepositories ? platforms.filter((p) => p !== platform).map((p) => p.environment) : [];
    if (pullers.length) {
      context.out(
        `Note: ${platform.environment} holds the images of ${pullers.join(', ')}. Its ECR repositories stay (they are retained, with their ` +
          'policies), but destroying its stacks removes the CI roles and the GitHub OIDC provider: releases stop until they are deployed again.\n',
      );
    }
    return 0;
  },
};

/**
 * The environment to take down: the one `--environment` names, or the spec's only one. A spec with
 * several needs the name: each is its own cluster, and tearing down the wrong one is what must not
 * happen by default.
 */
function environmentOf(platforms: ResolvedPlatform[], name: string | undefined): ResolvedPlatform {
  const names = platforms.map((p) => p.environment);
  if (name === undefined) {
    if (platforms.length === 1) return platforms[0];
    throw new UsageError(
      `the spec has ${platforms.length} environments (${names.join(', ')}), each its own cluster: name the one to take down with --environment NAME ` +
        '(and give --context and --profile for its cluster and account)',
      'teardown',
    );
  }
  const found = platforms.find((p) => p.environment === name);
  if (!found) throw new UsageError(`--environment '${name}' is not an environment of the spec; it has ${names.join(', ')}`, 'teardown');
  return found;
}
