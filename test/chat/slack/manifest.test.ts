import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SLACK_PATHS } from '../../../src/chat/slack/index.ts';
import { SLACK_BOT_SCOPES } from '../../../src/chat/slack/oauth.ts';

const manifest = parse(readFileSync(new URL('../../../manifests/slack.yaml', import.meta.url), 'utf8'));

describe('manifests/slack.yaml', () => {
  it('points every request URL at a route the server mounts', () => {
    const paths = (url: string) => new URL(url).pathname;
    expect(paths(manifest.features.slash_commands[0].url)).toBe(SLACK_PATHS.commands);
    expect(paths(manifest.settings.event_subscriptions.request_url)).toBe(SLACK_PATHS.events);
    expect(paths(manifest.settings.interactivity.request_url)).toBe(SLACK_PATHS.interactivity);
    expect(manifest.oauth_config.redirect_urls.map(paths)).toEqual([SLACK_PATHS.oauthRedirect]);
  });

  it('asks for the scopes the install URL asks for, and the events the app listens to', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('asks only for scopes the code uses, and has Slack escape mentions in command text', () => {
    const source = readdirSync(new URL('../../../src/chat/slack/', import.meta.url))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(new URL(`../../../src/chat/slack/${f}`, import.meta.url), 'utf8'))
      .join('\n');
    // each scope and the Web API call (or listener) that needs it
    const usedBy: Record<string, string> = {
      commands: "app.command('/flow'",
      'chat:write': 'chat.postMessage(',
      'files:write': 'filesUploadV2(',
      'im:write': 'conversations.open(',
      'users:read': 'users.lookupByEmail(',
      'users:read.email': 'users.lookupByEmail(',
    };
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(usedBy).sort());
    for (const [scope, call] of Object.entries(usedBy)) expect(source, `${scope} is used by ${call}`).toContain(call);
    // with escaping, a mention arrives as <@U…|name> (an id), not as the plain text "@name"
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
  });

  it('stays within Slack limits: name ≤ 35, command ≤ 32 with a leading slash, description ≤ 140', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    const [command] = manifest.features.slash_commands;
    expect(command.command).toBe('/flow');
    expect(command.description.length).toBeLessThanOrEqual(100);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  });
});
