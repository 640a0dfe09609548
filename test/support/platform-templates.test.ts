// The platform templates kept for a test run (platform-templates.ts): what a test file reads back
// is what its own synthesis would give, and the key changes with anything the synthesis reads.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { cacheDir, platformStackTemplates, platformTemplatesKey } from './platform-templates';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, sandboxSpec } from '../fixtures';

/** The sandbox with `replicas` replicas of its app: a platform no other test file keeps. */
function sandboxWith(replicas: number) {
  const spec = sandboxSpec();
  spec.apps[0].replicas = replicas;
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

describe('the platform templates kept for a test run', () => {
  test('are the templates of a synthesis in this process, and are written to the run\'s directory', () => {
    const platform = sandboxWith(7);
    const kept = platformStackTemplates([platform]);
    const own = Template.fromStack(new GitOpsPlatform(cdkApp(), platform.qualifiedName, { platform }).platformStack).toJSON();
    expect(kept).toEqual([own]);
    const file = join(cacheDir()!, `${platformTemplatesKey([platform])}.json`);
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([own]);
    // Each caller gets a copy of its own.
    platformStackTemplates([platform])[0].Resources = {};
    expect(platformStackTemplates([platform])).toEqual([own]);
  });

  test('are keyed by the platforms, the day of the support calendar and the context every App reads', () => {
    const key = platformTemplatesKey([sandboxWith(7)]);
    // The same spec resolved again: the same key.
    expect(platformTemplatesKey([sandboxWith(7)])).toBe(key);
    expect(platformTemplatesKey([sandboxWith(8)])).not.toBe(key);
    expect(platformTemplatesKey([sandboxWith(7), sandboxWith(8)])).not.toBe(key);
    for (const [name, value] of [
      ['CDK_EKS_GITOPS_TODAY', '2027-01-15'],
      ['CDK_CONTEXT_JSON', JSON.stringify({ '@aws-cdk/core:newStyleStackSynthesis': false })],
    ]) {
      const before = process.env[name];
      process.env[name] = value;
      try {
        expect({ name, key: platformTemplatesKey([sandboxWith(7)]) }).not.toEqual({ name, key });
      } finally {
        if (before === undefined) delete process.env[name];
        else process.env[name] = before;
      }
    }
  });

  test('refuse a platform with an add-on of its own, which could hold state its code does not show', () => {
    const platform = sandboxWith(7);
    const mine = { ...platform.addons[0], addon: { ...platform.addons[0].addon, name: 'mine' } };
    expect(() => platformStackTemplates([{ ...platform, addons: [...platform.addons, mine] }])).toThrow(
      /^platformStackTemplates: sandbox has add-ons of its own \(mine\): synthesize its stacks in the test$/,
    );
  });
});
