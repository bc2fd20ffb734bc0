// Preloaded with `node --import ./bench/peak-rss.mjs …`: at exit, the process's peak resident set
// size goes to stderr as one line `peak-rss-kib N`, so the bench measures each child alike.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
