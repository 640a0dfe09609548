import type { CheckoutPlan } from './checkout-writer';

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
  const adopted = plan.adopted.length ? `; took over ${count(plan.adopted.length, 'file')} it did not generate (--adopt)` : '';
  const yielded = plan.yielded.map((y) => `; ${y.replace(' -> ', ' is not generated: kept, the generated one written as ')}`).join('');
  return `${label}: ${parts.join(', ')}${kept.length ? `; kept ${kept.join(', ')}` : ''}${forced}${adopted}${yielded}\n`;
}

/** The whole plan, file by file: what `--dry-run` prints. */
export function planDetails(label: string, kind: string, plan: CheckoutPlan): string {
  const lines = [`${label} (${kind}):`];
  const row = (action: string, path: string, note = '') => lines.push(`  ${action.padEnd(7)} ${path}${note ? `  (${note})` : ''}`);
  const forced = new Set(plan.forced);
  const adopted = new Set(plan.adopted);
  const yieldedTo = new Map(plan.yielded.map((y) => y.split(' -> ').reverse() as [string, string]));
  plan.added.forEach((p) => row('add', p, yieldedTo.has(p) ? `in place of ${yieldedTo.get(p)}, which the writer did not generate` : ''));
  plan.changed.forEach((p) =>
    row('change', p, forced.has(p) ? 'edited by hand: overwritten with --force' : adopted.has(p) ? 'not generated: taken over with --adopt' : yieldedTo.has(p) ? `in place of ${yieldedTo.get(p)}` : ''),
  );
  plan.removed.forEach((p) => row('remove', p, forced.has(p) ? 'edited by hand: removed with --force' : 'no longer generated'));
  plan.kept.forEach((p) => row('keep', p, 'not generated'));
  plan.keptState.forEach((s) => row('keep', s.slice(0, s.indexOf(': ')), `image tags: ${s.slice(s.indexOf(': ') + 2)}`));
  plan.conflicts.forEach((c) => row('refuse', c.path, c.reason));
  if (plan.indexChanged) row('update', plan.indexFile, 'the index');
  lines.push(`  ${plan.unchanged.length} unchanged`);
  return `${lines.join('\n')}\n`;
}
