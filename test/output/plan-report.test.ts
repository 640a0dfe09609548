import { CheckoutWriter } from '../../lib/output/checkout-writer';
import { planDetails, planSummary } from '../../lib/output/plan-report';
import { gitCheckout } from '../support/git-checkout';

const FILES = [
  { path: 'a/one.yaml', content: 'one: 1\n' },
  { path: 'b/two.yaml', content: 'two: 2\n' },
];

describe('the plan report', () => {
  test('names the index file the writer keeps, not a fixed one', () => {
    const directory = gitCheckout();
    const plan = new CheckoutWriter({ directory, files: FILES, indexFile: '.generated-files.json' }).plan();
    expect(plan.indexFile).toBe('.generated-files.json');
    expect(planDetails('../manifests', 'manifest tree', plan).split('\n')).toEqual([
      '../manifests (manifest tree):',
      '  add     a/one.yaml',
      '  add     b/two.yaml',
      '  update  .generated-files.json  (the index)',
      '  0 unchanged',
      '',
    ]);
  });

  test('the default index file is the writer\'s INDEX_FILE', () => {
    const plan = new CheckoutWriter({ directory: gitCheckout(), files: FILES }).plan();
    expect(planDetails('dir', 'tree', plan)).toContain(`  update  ${CheckoutWriter.INDEX_FILE}  (the index)\n`);
    expect(planSummary('dir', plan)).toBe('dir: 2 added, 0 changed, 0 removed, 0 unchanged\n');
  });
});
