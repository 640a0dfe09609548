// A jest setup file for `npm run bench` (scripts/bench.ts passes it as --setupFilesAfterEnv): the
// CPU time of each test file, its own and that of the processes it started, appended to the file
// TEST_FILE_CPU names as one JSON line per test file. A jest worker runs one test file at a time,
// so the worker's CPU from here to this afterAll is the file's: its imports, its describe bodies and
// its tests (not its own top-level afterAll hooks, which run after this one). Linux only: the
// children's CPU is read from /proc.
import { appendFileSync, readFileSync } from 'fs';

/** CPU seconds of the children this process has waited for (cutime + cstime of /proc/self/stat, in clock ticks of 1/100 s). */
function childrenCpuSeconds(): number {
  // The fields after the command name, which is in parentheses and may hold spaces and parentheses.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const startCpu = process.cpuUsage();
const startChildren = childrenCpuSeconds();

afterAll(() => {
  const report = process.env.TEST_FILE_CPU;
  if (!report) return;
  const own = process.cpuUsage(startCpu);
  appendFileSync(
    report,
    `${JSON.stringify({ file: expect.getState().testPath, ownSeconds: (own.user + own.system) / 1e6, childrenSeconds: childrenCpuSeconds() - startChildren })}\n`,
  );
});
