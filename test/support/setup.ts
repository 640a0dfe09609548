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

// aws-cdk-lib records a stack trace with every CloudFormation element it creates (the
// `aws:cdk:creationStack` metadata of the cloud assembly, never in a template), and under jest each
// trace goes through its source-map formatting of every frame: about a tenth of the CPU of a test
// file that builds platforms. `aws:cdk:disable-creation-stack-traces` is aws-cdk-lib's own switch
// for it; every App reads the context in CDK_CONTEXT_JSON, as it does when `cdk synth` starts it, so
// the apps the tests build and the processes they start record none. A test that sets
// CDK_CONTEXT_JSON for a process of its own replaces it.
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...JSON.parse(process.env.CDK_CONTEXT_JSON || '{}'), 'aws:cdk:disable-creation-stack-traces': true });
