import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { platformStackId, stackIds } from '../../lib/model/naming';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, sandboxSpec } from '../fixtures';

describe('the stack names, derived once', () => {
  // The sandbox with a second application in a stack of its own (`apps[].stack`).
  const spec = sandboxSpec();
  spec.apps.push({ ...spec.apps[0], name: 'admin', namespace: 'admin', host: 'admin.example.com', stack: 'group-a' });
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));

  test('are the stacks the CDK app creates, the platform stack first', () => {
    const gitops = new GitOpsPlatform(cdkApp(), 'p', { platform });
    expect(stackIds(platform)).toEqual([gitops.platformStack, ...gitops.appsStacks].map((stack) => stack.stackName));
    expect(stackIds(platform)).toEqual(['sandbox-platform', 'sandbox-group-a']);
  });

  test('each application names its stack; an application without apps[].stack is in the platform stack', () => {
    expect(platform.apps.map((app) => app.stackId)).toEqual([platformStackId(platform.qualifiedName), 'sandbox-group-a']);
  });
});
