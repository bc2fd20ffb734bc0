/** A problem in flow-nudge.yaml or the environment; the message names the key and the fix. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export { formatKeyPath } from '../workflow/map-error.ts';
