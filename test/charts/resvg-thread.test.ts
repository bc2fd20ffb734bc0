/**
 * The render thread: charts drawn one at a time on a worker, each caller getting its own
 * pixels; a broken SVG is a clear error that does not stop the next chart; and a process that
 * drew a chart exits when it is done (the idle thread keeps nothing alive).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { svgToPng } from '../../src/charts/render.ts';
import { withPixels } from '../../src/charts/resvg-thread.ts';
import { freshDatabaseUrl, runCli } from '../cli/support/run-cli.ts';
import { decodePng } from './png-pixels.ts';

const square = (fill: string, size: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${fill}"/></svg>`;

describe('the render thread', () => {
  it('draws charts asked for at once one after another, each into its own image', async () => {
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
    // different sizes too: the shared pixel memory grows and shrinks back to what each needs
    const drawn = await Promise.all(colours.map((fill, i) => withPixels(square(fill, 40 + 30 * i), {}, (rgba, width, height) => ({ first: [...rgba.subarray(0, 4)], width, height, bytes: rgba.length }))));
    expect(drawn).toEqual([
      { first: [255, 0, 0, 255], width: 40, height: 40, bytes: 40 * 40 * 4 },
      { first: [0, 255, 0, 255], width: 70, height: 70, bytes: 70 * 70 * 4 },
      { first: [0, 0, 255, 255], width: 100, height: 100, bytes: 100 * 100 * 4 },
      { first: [255, 255, 0, 255], width: 130, height: 130, bytes: 130 * 130 * 4 },
    ]);
  });

  it('says why an SVG cannot be drawn, and draws the next one', async () => {
    await expect(withPixels('<svg', {}, () => 'drawn')).rejects.toThrow(/Could not draw the chart: /);
    const png = await svgToPng(square('#0072b2', 10));
    const image = decodePng(png.png);
    expect([image.width, image.height]).toEqual([20, 20]); // drawn at 2x
    expect([...image.rgba.subarray(0, 3)]).toEqual([0x00, 0x72, 0xb2]);
  });

  it('lets a process that drew a chart exit when it is done', () => {
    const url = freshDatabaseUrl();
    const out = join(mkdtempSync(join(tmpdir(), 'flow-nudge-thread-')), 'leadtime.png');
    expect(runCli(['demo'], { env: { DATABASE_URL: url } }).code).toBe(0);
    const started = Date.now();
    const run = runCli(['chart', 'xmr', '--stream', 'demo', '--out', out], { env: { DATABASE_URL: url } });
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000); // runCli kills a hung process after 60 s
    expect(readFileSync(out).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
