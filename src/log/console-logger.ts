/** A Logger writing one line per message to stderr, with its fields as JSON. */
import type { Logger } from './logger.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function createConsoleLogger(level: (typeof LEVELS)[number] = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LEVELS.indexOf(level);
  const at = (name: (typeof LEVELS)[number]) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(name) < min) return;
    write(`${new Date().toISOString()} ${name} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
