/**
 * CPU time of a function, best of several runs. The test machine is shared by
 * several helpers, so wall time mostly measures waiting for a core; the
 * process's own CPU time measures the work.
 */
export function bestCpuMs(fn: () => void, runs = 3): { cpuMs: number; wallMs: number } {
  let cpuMs = Number.POSITIVE_INFINITY;
  let wallMs = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(cpu);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
    wallMs = Math.min(wallMs, performance.now() - wall);
  }
  return { cpuMs, wallMs };
}
