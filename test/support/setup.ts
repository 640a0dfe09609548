/**
 * jest's setup file, run in each test file's environment before the file itself.
 *
 * aws-cdk-lib checks every template it synthesizes against CloudFormation's rules (its built-in
 * validation plugin, a WebAssembly engine started afresh in each test file), which costs about 5 s
 * for a test file's first synthesis and about a second for each one after: most of the suite's CPU
 * time. It is off here; test/aws/nag.test.ts, which synthesizes every example and every variant of
 * the platform, turns it back on and checks that it ran and found nothing.
 */
process.env.CDK_VALIDATION = 'false';

// The EKS support calendar's warnings depend on the day: every test runs on 2026-12-02 (the day
// 1.34 leaves standard support; 1.35, the default, warns from 2026-12-27), unless it sets its own.
// Child processes (the CLI, cdk synth) inherit it.
process.env.CDK_EKS_GITOPS_TODAY = '2026-12-02';
