import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../../trackers/verify-hmac.ts';
import type { Authorize, Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Store } from '../../store/database.ts';
import { deleteInstallation, getInstallation, saveInstallation } from '../../store/installations.ts';
import type { RawRouteHandler } from './receiver.ts';
import { openSecret, sealSecret } from './secret-box.ts';

const PLATFORM = 'slack';
const STATE_COOKIE = 'slack-app-oauth-state';
const STATE_MAX_AGE_MS = 10 * 60 * 1000;

/** The bot scopes the app asks for (the same list as manifests/slack.yaml). */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'files:write', 'im:write', 'users:read', 'users:read.email'];

/** The key an installation is stored under: the enterprise for an org-wide install, else the team. */
function installationKey(q: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  const key = q.isEnterpriseInstall ? q.enterpriseId : q.teamId;
  if (!key) throw new Error('A Slack installation query names no team or enterprise id: the request did not carry team_id.');
  return key;
}

/**
 * A bolt InstallationStore backed by the `installation` table. The whole Installation object
 * is stored encrypted (AES-256-GCM) and returned unchanged, as bolt expects.
 */
export function createInstallationStore(options: { store: Store; key: Buffer; clock: () => number }): InstallationStore {
  const { store, key, clock } = options;
  return {
    async storeInstallation(installation: Installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const teamId = installationKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall });
      await saveInstallation(store.db, {
        platform: PLATFORM,
        teamId,
        enterpriseId: installation.enterprise?.id ?? null,
        dataEncrypted: sealSecret(key, JSON.stringify(installation), `${PLATFORM}:${teamId}`),
        installedAt: clock(),
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const teamId = installationKey(query);
      const row = await getInstallation(store.db, PLATFORM, teamId);
      if (!row) throw new Error(`flow-nudge is not installed in Slack workspace ${teamId}: install it again from /slack/install.`);
      return JSON.parse(openSecret(key, row.dataEncrypted, `${PLATFORM}:${teamId}`)) as Installation;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await deleteInstallation(store.db, PLATFORM, installationKey(query));
    },
  };
}

/** bolt's `authorize` for multi-workspace mode: the bot token of the workspace the request came from. */
export function authorizeFromStore(installations: InstallationStore): Authorize<boolean> {
  return async (source) => {
    const installation = await installations.fetchInstallation({
      teamId: source.teamId,
      enterpriseId: source.enterpriseId,
      isEnterpriseInstall: source.isEnterpriseInstall,
    });
    if (!installation.bot) throw new Error('The stored Slack installation has no bot token: reinstall the app from /slack/install.');
    return {
      botToken: installation.bot.token,
      botId: installation.bot.id,
      botUserId: installation.bot.userId,
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
    };
  };
}

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  /** signs the state parameter */
  stateSecret: string;
  /** the public URL of /slack/oauth_redirect, as registered in the app config */
  redirectUri?: string;
  installations: InstallationStore;
  clientOptions: webApi.WebClientOptions;
  clock: () => number;
  /** where Slack's authorize page lives (tests keep the default; only the URL is built) */
  authorizeUrl?: string;
}

function signState(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function html(status: number, title: string, message: string, headers: Record<string, string> = {}) {
  const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
  };
}

const oauthAccessSchema = z.object({
  ok: z.literal(true),
  access_token: z.string().min(1),
  bot_user_id: z.string().min(1),
  app_id: z.string().optional(),
  scope: z.string().optional(),
  team: z.object({ id: z.string(), name: z.string().optional() }).nullable().optional(),
  enterprise: z.object({ id: z.string(), name: z.string().optional() }).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  authed_user: z.object({ id: z.string() }).optional(),
  refresh_token: z.string().optional(),
  expires_in: z.number().optional(),
});

/**
 * The two OAuth routes: `GET /slack/install` (redirects to Slack's authorize page with a signed
 * state and sets the state cookie) and `GET /slack/oauth_redirect` (checks state and cookie,
 * exchanges the code with oauth.v2.access, stores the encrypted installation).
 */
export function createOAuthRoutes(options: OAuthOptions): { install: RawRouteHandler; callback: RawRouteHandler } {
  const install: RawRouteHandler = async () => {
    const payload = `${options.clock()}.${randomBytes(12).toString('base64url')}`;
    const state = `${payload}.${signState(options.stateSecret, payload)}`;
    const url = new URL(options.authorizeUrl ?? 'https://slack.com/oauth/v2/authorize');
    url.searchParams.set('client_id', options.clientId);
    url.searchParams.set('scope', SLACK_BOT_SCOPES.join(','));
    url.searchParams.set('state', state);
    if (options.redirectUri) url.searchParams.set('redirect_uri', options.redirectUri);
    return {
      status: 302,
      headers: {
        location: url.toString(),
        'set-cookie': `${STATE_COOKIE}=${state}; Path=/slack; HttpOnly; Secure; SameSite=Lax; Max-Age=600`,
      },
      body: '',
    };
  };

  const callback: RawRouteHandler = async (req) => {
    const url = req.url;
    const error = url.searchParams.get('error');
    if (error) return html(400, 'Installation cancelled', `Slack answered "${error}". Start again from /slack/install when you are ready.`);
    const code = url.searchParams.get('code');
    const state = url.searchParams.get('state') ?? '';
    if (!code) return html(400, 'Installation failed', 'The redirect carried no code. Start the installation from /slack/install.');
    const [issuedAt, nonce, mac] = state.split('.');
    const expected = issuedAt && nonce ? signState(options.stateSecret, `${issuedAt}.${nonce}`) : '';
    // Constant time on any input: a state of odd length or non-ASCII characters is a 401, never a throw.
    const valid = Boolean(mac) && expected !== '' && safeEqual(mac!, expected);
    if (!valid) return html(401, 'Installation failed', 'The state parameter is not one this server issued. Start the installation from /slack/install.');
    if (options.clock() - Number(issuedAt) > STATE_MAX_AGE_MS) {
      return html(401, 'Installation expired', 'The installation link is older than 10 minutes. Start again from /slack/install.');
    }
    const cookie = String(req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${STATE_COOKIE}=`));
    if (cookie?.slice(STATE_COOKIE.length + 1) !== state) {
      return html(401, 'Installation failed', 'This browser did not start the installation (the state cookie is missing). Start it from /slack/install in this browser.');
    }

    const client = new webApi.WebClient(undefined, options.clientOptions);
    let access: z.infer<typeof oauthAccessSchema>;
    try {
      const raw = await client.oauth.v2.access({ client_id: options.clientId, client_secret: options.clientSecret, code, redirect_uri: options.redirectUri });
      access = oauthAccessSchema.parse(raw);
    } catch (e) {
      return html(502, 'Installation failed', `Slack refused the code exchange (${(e as Error).message}). Check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, then start again from /slack/install.`);
    }
    const botClient = new webApi.WebClient(access.access_token, options.clientOptions);
    const auth = await botClient.auth.test();
    const isEnterpriseInstall = Boolean(access.is_enterprise_install);
    const installation: Installation = {
      team: isEnterpriseInstall ? undefined : (access.team ?? undefined),
      enterprise: access.enterprise ?? undefined,
      isEnterpriseInstall,
      appId: access.app_id,
      tokenType: 'bot',
      authVersion: 'v2',
      user: { id: access.authed_user?.id ?? '', token: undefined, scopes: undefined },
      bot: {
        token: access.access_token,
        refreshToken: access.refresh_token,
        expiresAt: access.expires_in ? Math.floor(options.clock() / 1000) + access.expires_in : undefined,
        scopes: (access.scope ?? '').split(',').filter(Boolean),
        id: String(auth.bot_id ?? ''),
        userId: access.bot_user_id,
      },
    } as Installation;
    await options.installations.storeInstallation(installation);
    const where = access.team?.name ?? access.enterprise?.name ?? 'your workspace';
    return html(200, 'flow-nudge is installed', `Installed in ${where}. In a channel, type /flow bind STREAM, then /flow help.`, {
      'set-cookie': `${STATE_COOKIE}=; Path=/slack; Max-Age=0`,
    });
  };

  return { install, callback };
}
