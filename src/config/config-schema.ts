/**
 * flow-nudge.yaml: the value streams and, for each, its map and its tracker
 * sources. Example: examples/flow-nudge.yaml.
 */
import { z } from 'zod';
import { ITEM_TYPES } from '../core/types.ts';
import { VENDORS } from '../trackers/tracker-event.ts';

/** Which selectors say which deliveries of a vendor belong to a stream. */
export const SELECTORS_BY_VENDOR = {
  jira: ['project'],
  github: ['repo', 'organization'],
  gitlab: ['project'],
  linear: ['team'],
  'azure-devops': ['project', 'organization'],
} as const;

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the NAME of an environment variable (letters, digits, _), not the secret itself');

export const sourceSchema = z
  .object({
    vendor: z.enum(VENDORS as [string, ...string[]], {
      error: `must be one of ${VENDORS.join(', ')}`,
    }),
    project: z.string().min(1).optional(),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be OWNER/NAME').optional(),
    team: z.string().min(1).optional(),
    organization: z.string().min(1).optional(),
    secretEnv: envName,
    /** the variable holding the API token `flow-nudge backfill` uses (GitLab, Linear, Azure DevOps, GitHub Projects v2 lookups) */
    tokenEnv: envName.optional(),
    /** the tracker's API root when it is not the vendor's cloud (self-managed GitLab, GitHub Enterprise, Azure DevOps Server) */
    apiUrl: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL, e.g. https://gitlab.example.com/api/v4').optional(),
    typeMap: z.record(z.string(), z.enum(ITEM_TYPES as [string, ...string[]], { error: `must be one of ${ITEM_TYPES.join(', ')}` })).optional(),
  })
  .strict()
  .superRefine((source, ctx) => {
    const allowed: readonly string[] = SELECTORS_BY_VENDOR[source.vendor as keyof typeof SELECTORS_BY_VENDOR];
    for (const key of ['project', 'repo', 'team', 'organization'] as const) {
      if (source[key] !== undefined && !allowed.includes(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${source.vendor} sources select deliveries by ${allowed.join(' or ')}, not ${key}` });
      }
    }
  });

export const streamSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** the value-stream map inline, or the path of its YAML/JSON file (relative to flow-nudge.yaml) */
    map: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
      error: 'must be the path of a map file, or the map itself (timeZone, stages)',
    }),
    sources: z.array(sourceSchema).default([]),
  })
  .strict();

export const configFileSchema = z
  .object({ streams: z.array(streamSchema).default([]) })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.streams.forEach((stream, i) => {
      if (seen.has(stream.name)) ctx.addIssue({ code: 'custom', path: ['streams', i, 'name'], message: `stream "${stream.name}" is listed twice; stream names must be unique` });
      seen.add(stream.name);
    });
  });

export type ConfigFile = z.infer<typeof configFileSchema>;
