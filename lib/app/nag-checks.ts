import type { App, IPolicyValidationPlugin } from 'aws-cdk-lib';

/** The version of cdk-nag this package is tested with (its optional peer dependency). */
const TESTED_CDK_NAG = '3.0.2';

/**
 * cdk-nag's AwsSolutions pack as a validation plugin of `app`. cdk-nag is an optional peer
 * dependency: it is loaded here, on use, so that importing the package and synthesizing without
 * the checks never need it.
 *
 * @throws Error saying how to install cdk-nag, or how to turn the checks off, when it is missing
 */
export function awsSolutionsChecks(app: App): IPolicyValidationPlugin {
  let nag: typeof import('cdk-nag');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional peer dependency
    nag = require('cdk-nag');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !(e as Error).message.includes("'cdk-nag'")) throw e;
    throw new Error(
      `cdk-nag is not installed, and every synth checks the stacks with its AwsSolutions pack: npm install --save-dev cdk-nag@${TESTED_CDK_NAG}, ` +
        'or turn the checks off (-c nag=false for cdk synth, --no-nag for cdk-eks-gitops synth)',
    );
  }
  // verbose: a finding names the rule and explains it, so the message says what to change.
  return new nag.AwsSolutionsChecks(app, { verbose: true });
}
