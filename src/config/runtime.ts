/**
 * The one reading of how the bot runs: production or not (NODE_ENV, any letter
 * case, surrounding spaces ignored) and whether anonymous Teams Activities are
 * allowed. Every part that behaves differently in production asks this, so
 * `NODE_ENV=Production` means the same everywhere.
 */

/** The variable that allows unauthenticated Teams Activities outside the playground (local use, a fake connector). */
export const TEAMS_ANONYMOUS_ENV = 'FLOW_NUDGE_TEAMS_ANONYMOUS';

export interface Runtime {
  /** NODE_ENV is production (case-insensitive) */
  production: boolean;
  /** NODE_ENV as given, trimmed ('' when unset), for messages */
  nodeEnv: string;
  /** FLOW_NUDGE_TEAMS_ANONYMOUS=true: anonymous /api/messages allowed (never in production) */
  teamsAnonymousOptIn: boolean;
}

/**
 * @example readRuntime({ NODE_ENV: ' Production ' }) // { production: true, nodeEnv: 'Production', teamsAnonymousOptIn: false }
 */
export function readRuntime(env: Record<string, string | undefined>): Runtime {
  const nodeEnv = (env.NODE_ENV ?? '').trim();
  const optIn = (env[TEAMS_ANONYMOUS_ENV] ?? '').trim().toLowerCase();
  if (optIn !== '' && !['true', 'false', '1', '0'].includes(optIn)) {
    throw new Error(`${TEAMS_ANONYMOUS_ENV}=${JSON.stringify(env[TEAMS_ANONYMOUS_ENV])} is not valid: set it to true (allow unauthenticated Teams Activities from a loopback serviceUrl, local use only) or false, or leave it unset.`);
  }
  return { production: nodeEnv.toLowerCase() === 'production', nodeEnv, teamsAnonymousOptIn: optIn === 'true' || optIn === '1' };
}
