import { z } from 'zod';
import type { PortalClient } from '../hubspot/client.ts';
import { HubSpotError } from '../hubspot/errors.ts';

/** A HubSpot contact property as the mapping needs it (read tolerantly: only what we use). */
const propertySchema = z.object({
  name: z.string(),
  label: z.string().nullish(),
  type: z.string(),
  fieldType: z.string().nullish(),
  groupName: z.string().nullish(),
  hidden: z.boolean().nullish(),
  calculated: z.boolean().nullish(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().nullish() }).loose().nullish(),
});
const answerSchema = z.object({ results: z.array(z.unknown()) });

export interface ContactProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string | null;
  /** HubSpot computes it: it can be read (moved to Dialer.io) but never written. */
  readOnly: boolean;
}

const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; properties: ContactProperty[] }>();

/** Portals whose properties are held in memory now (for tests). */
export const cachedPortalCount = () => cache.size;

/** Drops the lists older than a minute, so the cache holds only portals seen in the last minute. */
function dropExpired(now: number) {
  for (const [installationId, entry] of cache) if (now - entry.at >= CACHE_MS) cache.delete(installationId);
}

/**
 * The portal's contact properties (HubSpot's properties API), kept for a minute per portal (a
 * list is tens of kB: kept longer, a thousand portals' lists would stay in memory for good).
 */
export async function listContactProperties(
  client: PortalClient,
  now = Date.now(),
  options: { fresh?: boolean } = {},
): Promise<ContactProperty[]> {
  const cached = cache.get(client.installationId);
  if (cached && now - cached.at < CACHE_MS && !options.fresh) return cached.properties;
  const answer = answerSchema.safeParse(await client.send('listContactProperties'));
  if (!answer.success)
    throw new HubSpotError('bad_request', 'HubSpot contact properties answered an unexpected shape', false);
  const properties = answer.data.results.flatMap((item) => {
    const parsed = propertySchema.safeParse(item);
    return parsed.success ? [toProperty(parsed.data)] : [];
  });
  dropExpired(now);
  cache.set(client.installationId, { at: now, properties });
  return properties;
}

function toProperty(p: z.infer<typeof propertySchema>): ContactProperty {
  const fieldType = p.fieldType ?? 'text';
  return {
    name: p.name,
    label: p.label || p.name,
    type: p.type,
    fieldType,
    groupName: p.groupName ?? null,
    readOnly:
      p.modificationMetadata?.readOnlyValue === true ||
      p.calculated === true ||
      fieldType === 'calculation_equation',
  };
}

/** The property of this name; the cached list is read again once when it is not there (created a moment ago). */
export async function findContactProperty(
  client: PortalClient,
  name: string,
): Promise<ContactProperty | undefined> {
  const find = (list: ContactProperty[]) => list.find((p) => p.name === name);
  return (
    find(await listContactProperties(client)) ??
    find(await listContactProperties(client, Date.now(), { fresh: true }))
  );
}
