/**
 * The render thread: charts drawn one at a time on a worker, each caller getting its own
 * pixels; a broken SVG is a clear error that does not stop the next chart; each renderer owns
 * its thread, and a closed one refuses charts and leaves no thread behind; and a process that
 * drew a chart exits when it is done (the idle thread keeps nothing alive).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../src/charts/index.ts';
import { createResvgThread } from '../../src/charts/resvg-thread.ts';
import { freshDatabaseUrl, runCli } from '../cli/support/run-cli.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';
import { demoFixtures } from './chart-data.ts';
import { decodePng } from './png-pixels.ts';

const square = (fill: string, size: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${fill}"/></svg>`;

/** The colour of a PNG's first pixel, and its size. */
const firstPixel = (png: Buffer) => {
  const image = decodePng(png);
  return { rgb: [...image.rgba.subarray(0, 3)], width: image.width };
};

/** The OS threads of this process (Linux); null where /proc is not there. */
const osThreads = (): number | null => (existsSync('/proc/self/task') ? readdirSync('/proc/self/task').length : null);

const charts = useChartRenderer();

describe('the render thread', () => {
  it('draws charts asked for at once one after another, each into its own image', async () => {
    const thread = createResvgThread();
    try {
      const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00'];
      // different sizes too: the shared pixel memory grows and shrinks back to what each needs
      const drawn = await Promise.all(colours.map((fill, i) => thread.withPixels(square(fill, 40 + 30 * i), {}, (rgba, width, height) => ({ first: [...rgba.subarray(0, 4)], width, height, bytes: rgba.length }))));
      expect(drawn).toEqual([
        { first: [255, 0, 0, 255], width: 40, height: 40, bytes: 40 * 40 * 4 },
        { first: [0, 255, 0, 255], width: 70, height: 70, bytes: 70 * 70 * 4 },
        { first: [0, 0, 255, 255], width: 100, height: 100, bytes: 100 * 100 * 4 },
        { first: [255, 255, 0, 255], width: 130, height: 130, bytes: 130 * 130 * 4 },
      ]);
    } finally {
      await thread.close();
    }
  });

  it('says why an SVG cannot be drawn, and draws the next one', async () => {
    await expect(charts.svgToPng('<svg')).rejects.toThrow(/Could not draw the chart: /);
    const png = await charts.svgToPng(square('#0072b2', 10));
    const image = decodePng(png.png);
    expect([image.width, image.height]).toEqual([20, 20]); // drawn at 2x
    expect([...image.rgba.subarray(0, 3)]).toEqual([0x00, 0x72, 0xb2]);
  });

  it('gives each renderer a thread of its own: closing one leaves the other drawing', async () => {
    const a = createChartRenderer();
    const b = createChartRenderer();
    try {
      expect([a.threadId, b.threadId]).toEqual([null, null]); // no thread before the first chart
      // asked for at once, on both: each answer is its own chart
      const [red, blue, green] = await Promise.all([a.svgToPng(square('#ff0000', 30)), b.svgToPng(square('#0000ff', 50)), a.svgToPng(square('#00ff00', 40))]);
      expect([firstPixel(red.png), firstPixel(blue.png), firstPixel(green.png)]).toEqual([
        { rgb: [255, 0, 0], width: 60 },
        { rgb: [0, 0, 255], width: 100 },
        { rgb: [0, 255, 0], width: 80 },
      ]);
      expect(a.threadId).not.toBeNull();
      expect(b.threadId).not.toBeNull();
      expect(a.threadId).not.toBe(b.threadId);
      await a.close();
      expect(firstPixel((await b.svgToPng(square('#ffff00', 20))).png)).toEqual({ rgb: [255, 255, 0], width: 40 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('starts its thread when warmed up at start, so the first chart does not wait for it', async () => {
    const renderer = createChartRenderer();
    try {
      expect(renderer.threadId).toBeNull();
      await renderer.warmUp();
      const warmed = renderer.threadId;
      expect(warmed).not.toBeNull();
      const { set, context } = demoFixtures().last90;
      const chart = await renderer.render('scatter', { report: set.cycleTime, context });
      expect(chart.png.length).toBeGreaterThan(1000);
      // drawn on the thread the warm-up started
      expect(renderer.threadId).toBe(warmed);
    } finally {
      await renderer.close();
    }
  });

  it('refuses charts once closed, with the fix, after drawing the ones already asked for; its thread is gone', async () => {
    const before = osThreads();
    const renderer = createChartRenderer();
    await renderer.svgToPng(square('#0000ff', 10));
    const drawing = osThreads();
    const asked = renderer.svgToPng(square('#ff0000', 30)); // on its way when close is called
    const closing = renderer.close();
    const refused = 'This chart renderer is closed: it draws no more charts. Make a new one with createChartRenderer() (close it when done).';
    await expect(renderer.svgToPng(square('#00ff00', 30))).rejects.toThrow(refused);
    await expect(renderer.renderSpec({ mark: 'point', data: { values: [{}] } })).rejects.toThrow(refused);
    expect(firstPixel((await asked).png)).toEqual({ rgb: [255, 0, 0], width: 60 });
    await closing;
    expect(renderer.threadId).toBeNull();
    // the worker's OS threads have ended (they ran: the charts above were drawn on them)
    if (before !== null) {
      expect(drawing).toBeGreaterThan(before);
      // as many threads as before the renderer was made (an ending thread leaves the count a moment later)
      for (let i = 0; i < 50 && osThreads() !== before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(osThreads()).toBe(before);
    }
    const { set, context } = demoFixtures().last90;
    await expect(renderer.render('distribution', { report: set.distribution, context })).rejects.toThrow(refused);
    await renderer.close(); // twice is harmless
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
