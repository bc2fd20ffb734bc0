import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, runCliInProcess as runCli } from '../cli/support/run-cli.ts';
import { decodePng, PNG_SIGNATURE } from './png-pixels.ts';

describe('flow-nudge chart', async () => {
  let env: Record<string, string>;
  let dir: string;
  beforeAll(async () => {
    const url = freshDatabaseUrl();
    env = { DATABASE_URL: url };
    dir = dirname(url.slice('file:'.length));
    expect((await runCli(['demo'], { env })).code).toBe(0);
  });

  it('writes a PNG of the chart at chat size and prints its summary', async () => {
    const out = join(dir, 'xmr-chat.png');
    const run = await runCli(['chart', 'xmr', '--stream', 'demo', '--series', 'throughput', '--out', out], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Weekly throughput of \d+ weeks/);
    const width = decodePng(readFileSync(out)).width;
    expect(width).toBeLessThanOrEqual(1024);
    expect(run.stderr).toContain(`wrote ${out} (${width}×`);
  });

  it('writes the large report size on request', async () => {
    const out = join(dir, 'xmr.png');
    const run = await runCli(['chart', 'xmr', '--stream', 'demo', '--series', 'throughput', '--size', 'report', '--out', out], { env });
    expect(run.stderr).toContain(`wrote ${out}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Weekly throughput of \d+ weeks/);
    const png = readFileSync(out);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(decodePng(png).width).toBeGreaterThan(1000);
  });

  it('takes a period and a forecast question', async () => {
    const out = join(dir, 'forecast.png');
    const run = await runCli(['chart', 'forecast', '--stream', 'demo', '--items', '20', '--out', out], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^20 items: 85% chance they are done within \d+ days/);
    const cfd = await runCli(['chart', 'cfd', '--stream', 'demo', '--from', '2026-01-01', '--to', '2026-03-01', '--out', join(dir, 'cfd.png')], { env });
    expect(cfd.code).toBe(0);
    expect(cfd.stdout).toContain('1 Jan – 28 Feb 2026');
  });

  it('refuses an unknown kind with exit code 2 and the list of kinds', async () => {
    const run = await runCli(['chart', 'pie', '--stream', 'demo', '--out', join(dir, 'pie.png')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown chart "pie": choose one of scatter, xmr, aging, cfd, throughput, distribution, stages, forecast, map.');
  });

  it('refuses an unknown size with exit code 2 and the sizes there are', async () => {
    const run = await runCli(['chart', 'scatter', '--stream', 'demo', '--size', 'huge', '--out', join(dir, 'x.png')], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('chart: --size "huge" is not known; use one of chat, report');
  });

  it('refuses a bad series and an unknown stream with exit code 2', async () => {
    const series = await runCli(['chart', 'xmr', '--stream', 'demo', '--series', 'velocity', '--out', join(dir, 'x.png')], { env });
    expect(series.code).toBe(2);
    expect(series.stderr).toContain('use one of leadtime, cycletime, throughput, wip');
    const stream = await runCli(['chart', 'scatter', '--stream', 'nope', '--out', join(dir, 'x.png')], { env });
    expect(stream.code).toBe(2);
    expect(stream.stderr).toContain('There is no value stream "nope" (known streams: demo)');
  });
});
