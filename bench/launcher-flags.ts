/**
 * Node's flags for flow-nudge as its launcher passes them (bin/flow-nudge.js, `npm start`), for the
 * benches that run the bot in a process of its own: measured as it runs.
 */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=4';
export const LAUNCHER_FLAGS = ['--expose-gc', YOUNG_GENERATION_FLAG];
