/** Lines of context around each change, as `diff -u` and `git diff` print them. */
const CONTEXT = 3;

type Edit = { kind: ' ' | '-' | '+'; line: string };

/**
 * A unified diff of two texts (`--- a/path`, `+++ b/path`, `@@` hunks), the form `git apply` and
 * code review tools read. `undefined` stands for a file that does not exist (`/dev/null`).
 * Returns '' when the texts are equal.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const edits = lineEdits(splitLines(before ?? ''), splitLines(after ?? ''));
  const header = [before === undefined ? '--- /dev/null' : `--- a/${path}`, after === undefined ? '+++ /dev/null' : `+++ b/${path}`];
  return [...header, ...hunks(edits)].join('\n') + '\n';
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  // A final newline ends the last line rather than starting an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** The shortest edit script from `a` to `b` (Myers' O(ND) algorithm), as kept, removed and added lines. */
function lineEdits(a: string[], b: string[]): Edit[] {
  const max = a.length + b.length;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= a.length && y >= b.length) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to recover the path.
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ kind: ' ', line: a[x] });
    }
    if (d === 0) break;
    if (x === prevX) edits.push({ kind: '+', line: b[--y] });
    else edits.push({ kind: '-', line: a[--x] });
  }
  return edits.reverse();
}

/** Groups edits into hunks with `CONTEXT` lines around each change. */
function hunks(edits: Edit[]): string[] {
  const out: string[] = [];
  const changed = edits.map((e, i) => (e.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    const start = Math.max(0, changed[i] - CONTEXT);
    let end = changed[i];
    // Extend the hunk while the next change is close enough for the contexts to touch.
    while (i + 1 < changed.length && changed[i + 1] - end <= 2 * CONTEXT) end = changed[++i];
    const stop = Math.min(edits.length, end + CONTEXT + 1);
    i++;
    const before = edits.slice(0, start);
    const oldStart = before.filter((e) => e.kind !== '+').length;
    const newStart = before.filter((e) => e.kind !== '-').length;
    const body = edits.slice(start, stop);
    const oldCount = body.filter((e) => e.kind !== '+').length;
    const newCount = body.filter((e) => e.kind !== '-').length;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const e of body) out.push(`${e.kind}${e.line}`);
  }
  return out;
}

/** A hunk range as diff prints it: 1-based start, count omitted when 1, start 0 for an empty side. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}
