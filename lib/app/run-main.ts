/**
 * Runs an app's main function. A failure (a bad spec, no account, a construct refusing its input)
 * prints its message and exits with status 1; the stack trace, which says nothing to a user of the
 * spec, only with `CDK_EKS_GITOPS_DEBUG=1`.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    const debug = process.env.CDK_EKS_GITOPS_DEBUG === '1';
    process.stderr.write(`${debug ? error.stack ?? String(error) : error.message}\n`);
    process.exit(1);
  });
}
