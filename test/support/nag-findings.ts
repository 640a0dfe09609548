import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Every finding cdk-nag's AwsSolutions pack reports when the app synthesizes with it as a validation
 * plugin (as bin/app.ts runs it, and as a consumer would), as `path: rule` lines. aws-cdk-lib applies
 * the acknowledgements and lists what remains in the error it throws, one `Acknowledge with` per finding.
 */
export function nagFindings(app: App): string[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return [];
  } catch (e) {
    const message = (e as Error).message;
    const found = [...message.matchAll(/^\s+(\S+) \S+\n\s+Acknowledge with 'AwsSolutions::([^']+)'$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    if (found.length === 0) throw e;
    return found.sort();
  }
}
