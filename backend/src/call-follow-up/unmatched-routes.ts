import { Router, type Request } from 'express';
import { z } from 'zod';
import { recordActivity, type ActivityEntry } from '../activity/record.ts';
import type { DialerCall } from '../dialer/index.ts';
import { HubSpotError } from '../hubspot/errors.ts';
import { signedUserIsSuperAdmin, trusted } from '../hubspot/signed-requests.ts';
import type { AppContext } from '../platform/context.ts';
import { HttpError } from '../platform/http-errors.ts';
import { linkNumbers, readContacts } from './contacts.ts';
import { enqueueFollowUp } from './enqueue.ts';
import { linkCallsToContacts } from './linking.ts';
import { taskContext } from './run.ts';
import type { TaskContext } from './tasks.ts';
import { UnknownCallerPending, createUnknownCallers } from './unknown-callers.ts';
import { searchContactsByText } from './contact-search.ts';

const RECENT_DAYS = 30;
const LIMIT = 100;

const linkBody = z.union([
  z.object({ contactId: z.string().regex(/^\d{1,20}$/) }).strict(),
  z.object({ create: z.literal(true) }).strict(),
]);

/** Unmatched calls in the settings page: the list, contact search, "Link to contact", "Create contact". */
export function unmatchedCallRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/api/calls/unmatched', async (req, res) => {
    const { installation } = trusted(req);
    const rows = await ctx.db
      .selectFrom('calls')
      .select(['call_id', 'data', 'phone_e164', 'owner_id', 'started_at'])
      .where('installation_id', '=', installation.id)
      .where('contact_id', 'is', null)
      .where('hubspot_call_id', 'is not', null)
      .where('started_at', '>=', new Date(ctx.now() - RECENT_DAYS * 86_400_000))
      .orderBy('started_at', 'desc')
      .limit(LIMIT)
      .execute();
    res.json({
      items: rows.map((r) => {
        const call = r.data as DialerCall;
        return {
          callId: r.call_id,
          direction: call.direction,
          status: call.status,
          number: r.phone_e164 ?? (call.direction === 'inbound' ? call.from_number : call.to_number),
          startedAt: call.started_at,
          agent: call.agent?.name ?? null,
          ownerId: r.owner_id,
        };
      }),
    });
  });

  router.get('/api/calls/contact-search', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q.length < 2 || q.length > 100)
      throw new HttpError(400, 'invalid_query', 'Type at least 2 characters of a name, email or number.');
    const { installation } = trusted(req);
    res.json({ items: await searchContactsByText(ctx.hubspot.forInstallation(installation), q) });
  });

  router.post('/api/calls/:callId/contact', async (req, res) => {
    const body = linkBody.safeParse(req.body);
    if (!body.success)
      throw new HttpError(
        400,
        'invalid_request',
        'Send {"contactId": "<HubSpot contact id>"} or {"create": true}.',
      );
    const { installation } = trusted(req);
    const call = await callToLink(ctx, req);
    await requireAdminOrCallOwner(ctx, req, call.owner_id);
    const replayed = await alreadyDone(ctx, installation.id, call, body.data);
    if (replayed) return void res.json({ callId: call.call_id, contactId: replayed });
    if (call.contact_id)
      throw new HttpError(
        409,
        'call_already_linked',
        `This call is already associated with contact ${call.contact_id}.`,
      );
    const activity: ActivityEntry[] = [];
    const tc = await taskContext(ctx, installation, activity);
    let contactId: string;
    if ('create' in body.data) {
      contactId = await createContactFor(tc, call).finally(() =>
        recordActivity(ctx.db, installation.id, activity.splice(0)),
      );
    } else {
      contactId = body.data.contactId;
      if (!(await readContacts(tc.client, [contactId])).has(contactId))
        throw new HttpError(
          404,
          'contact_not_found',
          `HubSpot has no contact ${contactId}. Search again and pick one from the list.`,
        );
      if (call.phone_e164)
        await linkNumbers(tc, new Map([[call.phone_e164, contactId]]), 'linked by hand in the settings page');
      else
        await linkCallsToContacts(
          ctx.db,
          installation.id,
          tc.client,
          [{ callId: call.call_id, hubspotCallId: call.hubspot_call_id!, contactId, phoneE164: null }],
          activity,
          'linked by hand in the settings page',
        );
    }
    await recordActivity(ctx.db, installation.id, activity);
    await enqueueFollowUp(ctx, installation.id);
    res.json({ callId: call.call_id, contactId });
  });

  return router;
}

type CallToLink = Awaited<ReturnType<typeof callToLink>>;

async function callToLink(ctx: AppContext, req: Request) {
  const { installation } = trusted(req);
  const call = await ctx.db
    .selectFrom('calls')
    .select(['call_id', 'data', 'contact_id', 'hubspot_call_id', 'owner_id', 'phone_e164'])
    .where('installation_id', '=', installation.id)
    .where('call_id', '=', String(req.params.callId))
    .executeTakeFirst();
  if (!call) throw new HttpError(404, 'call_not_found', 'No such call in this portal.');
  if (!call.hubspot_call_id)
    throw new HttpError(409, 'call_not_logged', 'This call is not in HubSpot yet. Try again in a minute.');
  return call;
}

/**
 * The same request again (HubSpot replays one that failed with a 5xx, or a double click): the
 * call already has the contact it asks for, so the answer is the same, and nothing is written.
 */
async function alreadyDone(
  ctx: AppContext,
  installationId: string,
  call: CallToLink,
  body: z.infer<typeof linkBody>,
): Promise<string | null> {
  if (!call.contact_id) return null;
  if ('contactId' in body) return body.contactId === call.contact_id ? call.contact_id : null;
  if (!call.phone_e164) return null;
  const made = await ctx.db
    .selectFrom('unknown_caller_contacts')
    .select('contact_id')
    .where('installation_id', '=', installationId)
    .where('phone_e164', '=', call.phone_e164)
    .executeTakeFirst();
  return made?.contact_id === call.contact_id ? call.contact_id : null;
}

/** "Create contact": once per number, whatever answers get lost; a known failure is a 4xx the panel shows. */
async function createContactFor(tc: TaskContext, call: CallToLink): Promise<string> {
  if (!call.phone_e164)
    throw new HttpError(400, 'no_number', 'This call has no usable phone number to create a contact with.');
  const followUpCall = {
    callId: call.call_id,
    hubspotCallId: call.hubspot_call_id!,
    call: call.data as DialerCall,
    contactId: null,
    agentOwnerId: call.owner_id,
    phoneE164: call.phone_e164,
  };
  let contacts: Map<string, string>;
  try {
    contacts = await createUnknownCallers(tc, [followUpCall]);
  } catch (error) {
    if (error instanceof UnknownCallerPending)
      throw new HttpError(
        409,
        'contact_being_created',
        'A contact for this number may have just been created in HubSpot. Try again in a minute: it is then used, not created twice.',
      );
    if (!(error instanceof HubSpotError)) throw error;
    throw new HttpError(
      424,
      'hubspot_unavailable',
      `HubSpot did not confirm the new contact (${error.message}). Try again in a minute: a contact it made meanwhile is used, not created twice.`,
    );
  }
  const contactId = contacts.get(call.phone_e164);
  if (!contactId)
    throw new HttpError(
      422,
      'contact_refused',
      'HubSpot refused to create a contact for this number: the activity log says why.',
    );
  return contactId;
}

/** A super admin, or the HubSpot user who owns the call (its agent's owner). */
async function requireAdminOrCallOwner(ctx: AppContext, req: Request, ownerId: string | null) {
  const { installation, userId } = trusted(req);
  if (ownerId && userId !== null) {
    const owner = await ctx.db
      .selectFrom('hubspot_owners')
      .select('owner_id')
      .where('installation_id', '=', installation.id)
      .where('owner_id', '=', ownerId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (owner) return;
  }
  if (!(await signedUserIsSuperAdmin(ctx, installation, userId)))
    throw new HttpError(
      403,
      'not_allowed',
      "Only a HubSpot super admin or the call's owner can link this call.",
    );
}
