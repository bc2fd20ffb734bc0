import type { App } from '@slack/bolt';
import { deleteInstallation } from '../../store/installations.ts';
import { homeView, streamStates } from './app-home.ts';
import type { SlackDeps } from './slack-deps.ts';

/**
 * Events: App Home (publish the streams' current state when the Home tab opens) and, in
 * multi-workspace mode, uninstall clean-up: app_uninstalled and tokens_revoked delete the
 * workspace's installation, unless it was (re)installed after the event happened.
 */
export function registerEventListeners(app: App, deps: SlackDeps, options: { multiWorkspace: boolean }): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const states = await streamStates({ store: deps.store, platform: 'slack', teamId: body.team_id, userId: event.user, now: deps.clock() });
    await client.views.publish({ user_id: event.user, view: homeView(states) });
  });

  if (!options.multiWorkspace) return;

  const remove = async (body: { team_id?: string; enterprise_id?: string; event_time?: number; is_enterprise_install?: boolean }, why: string) => {
    const key = body.is_enterprise_install ? body.enterprise_id : body.team_id;
    if (!key) return;
    const before = typeof body.event_time === 'number' ? body.event_time * 1000 + 1000 : undefined;
    const removed = await deleteInstallation(deps.store.db, 'slack', key, before === undefined ? {} : { installedBefore: before });
    deps.log.info(`Slack ${why} for ${key}: ${removed} installation${removed === 1 ? '' : 's'} deleted.`);
  };

  app.event('app_uninstalled', async ({ body }) => {
    await remove(body as Parameters<typeof remove>[0], 'app_uninstalled');
  });

  app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await remove(body as Parameters<typeof remove>[0], 'tokens_revoked');
  });
}
