import type { CheckoutPlan } from '../manifests/checkout-writer';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * One line saying what a write did (or would do) to a checkout:
 * `../manifests: 3 added, 1 changed, 1 removed, 20 unchanged; kept 2 files it did not generate, image tags in 1 file`.
 */
export function planSummary(label: string, plan: CheckoutPlan): string {
  const parts = [`${plan.added.length} added`, `${plan.changed.length} changed`, `${plan.removed.length} removed`, `${plan.unchanged.length} unchanged`];
  const kept = [
    ...(plan.kept.length ? [`${count(plan.kept.length, 'file')} it did not generate`] : []),
    ...(plan.keptState.length ? [`image tags in ${count(plan.keptState.length, 'file')}`] : []),
  ];
  const forced = plan.forced.length ? `; overwrote ${count(plan.forced.length, 'hand-edited file')} (--force)` : '';
  return `${label}: ${parts.join(', ')}${kept.length ? `; kept ${kept.join(', ')}` : ''}${forced}\n`;
}

/** The whole plan, file by file: what `--dry-run` prints. */
export function planDetails(label: string, kind: string, plan: CheckoutPlan): string {
  const lines = [`${label} (${kind}):`];
  const row = (action: string, path: string, note = '') => lines.push(`  ${action.padEnd(7)} ${path}${note ? `  (${note})` : ''}`);
  const forced = new Set(plan.forced);
  plan.added.forEach((p) => row('add', p));
  plan.changed.forEach((p) => row('change', p, forced.has(p) ? 'edited by hand or not generated: overwritten with --force' : ''));
  plan.removed.forEach((p) => row('remove', p, forced.has(p) ? 'edited by hand: removed with --force' : 'no longer generated'));
  plan.kept.forEach((p) => row('keep', p, 'not generated'));
  plan.keptState.forEach((s) => row('keep', s.slice(0, s.indexOf(': ')), `image tags: ${s.slice(s.indexOf(': ') + 2)}`));
  plan.conflicts.forEach((c) => row('refuse', c.path, c.reason));
  if (plan.indexChanged) row('update', '.cdk-eks-gitops.json', 'the index');
  lines.push(`  ${plan.unchanged.length} unchanged`);
  return `${lines.join('\n')}\n`;
}
