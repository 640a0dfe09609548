import { runTeardown, teardownSteps } from '../../ops/teardown';
import { loadPlatform, onlyEnvironment } from '../../spec/load-platform';
import type { Command, CommandContext, OptionValues } from '../command';
import { SPEC_OPTION_HELP, specPathOf } from '../spec-option';
import { UsageError } from '../usage-error';

const HELP = `Usage: cdk-eks-gitops teardown [--spec FILE] [--context NAME] [--profile NAME] (--dry-run | --yes)

Removes, before 'cdk destroy', what controllers in the cluster created outside CloudFormation and
what would keep the VPC from being deleted: it deletes the root Application, turns off the child
Applications' automated sync, deletes every Ingress (the load balancer controller removes the ALB
and its security groups first), waits until ExternalDNS has removed each host's records, then deletes
the child Applications and everything they deployed. Run it with kubectl pointed at the cluster and
AWS credentials for the account; then run 'npx cdk destroy --all'.

Options:
${SPEC_OPTION_HELP}
  --context NAME        the kubectl context of the cluster (default: the current one)
  --profile NAME        the AWS CLI profile (default: the environment's credentials)
  --dry-run             print the commands, run nothing
  --yes                 run them (the teardown deletes the platform's workloads)
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops teardown --dry-run
  npx cdk-eks-gitops teardown --yes && npx cdk destroy --all
`;

/** `cdk-eks-gitops teardown`: what has to go before `cdk destroy`, in order. */
export const teardownCommand: Command = {
  name: 'teardown',
  summary: "remove the ALBs, DNS records and workloads controllers created, before 'cdk destroy'",
  help: HELP,
  options: {
    'spec': { type: 'string' },
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
    const platform = onlyEnvironment(await loadPlatform(specPath), 'teardown');
    const kubectl = ['kubectl', ...(values.context ? ['--context', values.context as string] : [])];
    const aws = ['aws', ...(values.profile ? ['--profile', values.profile as string] : [])];
    const failure = runTeardown(teardownSteps(platform, { kubectl, aws }), { dryRun, log: (line) => context.out(`${line}\n`) });
    if (failure) {
      context.err(`teardown stopped: ${failure}\nFix it and run the teardown again: every step can be repeated.\n`);
      return 1;
    }
    context.out(dryRun ? '\nNothing was run (--dry-run).\n' : '\nDone. Now run: npx cdk destroy --all\n');
    return 0;
  },
};
