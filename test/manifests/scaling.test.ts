import { Node } from 'constructs';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { Platform } from '../../lib/platform/platform';
import { specWithApps } from '../fixtures';

/**
 * How many constructs cdk8s walks (Node.findAll, which its chart synthesis and validation walk the
 * construct tree with) to write the manifest tree of a platform of `apps` applications. A count, not
 * a time: it says whether the work per application grows with the number of applications.
 */
function constructsWalked(apps: number): number {
  const platform = Platform.resolve(specWithApps(apps));
  const findAll = jest.spyOn(Node.prototype, 'findAll');
  try {
    new ManifestRepository(platform).manifestFiles();
    return findAll.mock.results.reduce((n, r) => n + (r.value as unknown[]).length, 0);
  } finally {
    findAll.mockRestore();
  }
}

describe('manifest tree scaling', () => {
  test('the constructs walked grow linearly with the applications, not quadratically', () => {
    const ten = constructsWalked(10);
    const forty = constructsWalked(40);
    expect(ten).toBeGreaterThan(0);
    // Four times the apps: about four times the walk if each app's charts are walked once, about
    // sixteen if each app's Chart.toJson() walks every app's charts (one cdk8s App shared by all).
    expect(forty / ten).toBeLessThan(5);
  });
});
