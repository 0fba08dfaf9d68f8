import { z } from 'zod';
import type { PortalClient } from './client.ts';
import { HubSpotError } from './errors.ts';

/** Typed calls on top of PortalClient.send: each parses HubSpot's answer with zod. */

const ownerPage = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      email: z.string().nullish(),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
      userId: z.number().nullish(),
      archived: z.boolean().optional(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
export type HubSpotOwner = z.infer<typeof ownerPage>['results'][number];

const outcomes = z.array(z.object({ id: z.string(), label: z.string(), deleted: z.boolean().optional() }));
export type HubSpotCallOutcome = z.infer<typeof outcomes>[number];

const user = z.object({
  id: z.union([z.string(), z.number()]),
  email: z.string().optional(),
  superAdmin: z.boolean().optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new HubSpotError('bad_request', `HubSpot ${operation} answered an unexpected shape`, false);
  return parsed.data;
}

export async function listAllOwners(client: PortalClient): Promise<HubSpotOwner[]> {
  const owners: HubSpotOwner[] = [];
  let after: string | undefined;
  do {
    const page = parse(
      ownerPage,
      await client.send('getOwners', { query: { limit: 100, after, archived: 'false' } }),
      'owners',
    );
    owners.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return owners;
}

export async function listCallOutcomes(client: PortalClient): Promise<HubSpotCallOutcome[]> {
  return parse(outcomes, await client.send('getCallOutcomes'), 'call outcomes');
}

/** Whether a HubSpot user is a super admin (destructive actions need one). Unknown user: false. */
export async function isSuperAdmin(client: PortalClient, userId: number): Promise<boolean> {
  try {
    return parse(user, await client.send('getUser', { params: { userId } }), 'user').superAdmin === true;
  } catch (error) {
    if (error instanceof HubSpotError && error.code === 'not_found') return false;
    throw error;
  }
}

/** Creates a contact property group; an existing group is fine. */
export async function ensureContactPropertyGroup(
  client: PortalClient,
  name: string,
  label: string,
): Promise<'created' | 'exists'> {
  try {
    await client.send('createContactPropertyGroup', { body: { name, label, displayOrder: -1 } });
    return 'created';
  } catch (error) {
    if (error instanceof HubSpotError && error.code === 'conflict') return 'exists';
    throw error;
  }
}
