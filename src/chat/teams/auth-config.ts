/**
 * The Teams bot's identity, read from the environment variables the Microsoft 365 Agents SDK
 * reads (`clientId`, `clientSecret`, `tenantId`; the Bot Framework names `MicrosoftAppId`,
 * `MicrosoftAppPassword`, `MicrosoftAppTenantId` are accepted too). New Teams bots are
 * single-tenant, so a client id needs its tenant id. With no client id the bot runs
 * unauthenticated: fine against a local fake connector, refused in production.
 */
import { getAuthConfigWithDefaults, type AuthConfiguration } from '@microsoft/agents-hosting';
import { z } from 'zod';
import { readRuntime } from '../../config/runtime.ts';

export const teamsEnvSchema = z.object({
  clientId: z.string().trim().min(1).optional().describe('The bot\'s Entra app (client) id, from the Azure Bot resource; also the manifest\'s botId.'),
  clientSecret: z.string().trim().min(1).optional().describe('A client secret of that Entra app.'),
  tenantId: z.string().trim().min(1).optional().describe('The Entra tenant id the single-tenant bot is registered in.'),
});
export type TeamsEnv = z.infer<typeof teamsEnvSchema>;

export interface TeamsAuth {
  /** the SDK configuration for CloudAdapter */
  config: AuthConfiguration;
  /** the bot's app id, or '' when unauthenticated */
  appId: string;
  anonymous: boolean;
}

/** Reads a variable in any letter case (the SDK upper-cases names too). */
function read(env: Record<string, string | undefined>, ...names: string[]): string | undefined {
  const upper = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), v]));
  for (const name of names) {
    const value = upper.get(name.toUpperCase())?.trim();
    if (value) return value;
  }
  return undefined;
}

/**
 * Builds the SDK auth configuration from `env`. Throws, naming the variable and the fix, when
 * the configuration is half done or when production would run unauthenticated.
 */
export function loadTeamsAuth(env: Record<string, string | undefined>): TeamsAuth {
  const parsed = teamsEnvSchema.parse({
    clientId: read(env, 'clientId', 'MicrosoftAppId'),
    clientSecret: read(env, 'clientSecret', 'MicrosoftAppPassword'),
    tenantId: read(env, 'tenantId', 'MicrosoftAppTenantId'),
  });
  if (!parsed.clientId) {
    if (parsed.clientSecret || parsed.tenantId) {
      throw new Error('Teams: clientSecret or tenantId is set but clientId is not. Set clientId to the bot\'s Entra app (client) id, or unset all three to run unauthenticated locally.');
    }
    if (readRuntime(env).production) {
      throw new Error('Teams: NODE_ENV is production but clientId is not set, so every Teams request would be refused. Set clientId, clientSecret and tenantId from the Azure Bot resource (single-tenant).');
    }
    return { config: getAuthConfigWithDefaults({}), appId: '', anonymous: true };
  }
  if (!parsed.tenantId) {
    throw new Error('Teams: clientId is set but tenantId is not. New Teams bots are single-tenant: set tenantId to the Entra tenant id of the app registration (Azure portal → the app → Overview → Directory (tenant) ID).');
  }
  if (!parsed.clientSecret && !read(env, 'certPemFile')) {
    throw new Error('Teams: clientId is set but clientSecret is not. Create a client secret for the app (Azure portal → the app → Certificates & secrets) and set clientSecret, or set certPemFile and certKeyFile.');
  }
  const config = getAuthConfigWithDefaults({
    clientId: parsed.clientId,
    tenantId: parsed.tenantId,
    ...(parsed.clientSecret ? { clientSecret: parsed.clientSecret } : {}),
  });
  return { config, appId: parsed.clientId, anonymous: false };
}
