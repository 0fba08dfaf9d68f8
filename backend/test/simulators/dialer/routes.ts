import express, { type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  accountOf,
  authenticate,
  handleErrors,
  injectFaults,
  latency,
  notFound,
  rateLimit,
  recordRequests,
  sendError,
  sendPage,
  stallRequests,
  validationFailed,
  type SimControl,
} from './middleware.ts';
import { mediaRoutes } from './recordings.ts';
import { CONTACT_TEXT_FIELDS, newId, type SimState } from './state.ts';

// The endpoints of /work/shared/dialer-api.md.

export const SIM_EVENT_TYPES = [
  'call.started',
  'call.answered',
  'call.ended',
  'call.dispositioned',
  'contact.updated',
  'agent.updated',
  'call.recording_ready',
  'call.transcribed',
  'call.recording_deleted',
] as const;

const optionalText = z.string().nullable().optional();
// Non-strict: unknown keys such as `dnc` and `line_type` are dropped, as Dialer.io ignores them.
const contactBody = z.object({
  phone: z.string().trim().min(1, 'is required'),
  email: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  company: optionalText,
  timezone: optionalText,
  owner_email: optionalText,
  fields: z.record(z.string(), z.string()).optional(),
});
const memberBody = z.object({ external_id: z.string().min(1, 'is required') });
const webhookBody = z.object({
  url: z
    .string()
    .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), 'must be an http(s) URL'),
  events: z.array(z.enum(SIM_EVENT_TYPES)).min(1),
  description: z.string().max(500).optional(),
});

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const top = ['phone', ...CONTACT_TEXT_FIELDS].filter((key) => before[key] !== after[key]);
  const [b, a] = [before.fields, after.fields] as Record<string, string>[];
  const fields = Object.keys({ ...b, ...a }).filter((key) => b![key] !== a![key]);
  return [...top, ...fields.map((key) => `fields.${key}`)];
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

export function createApiApp(state: SimState, control: SimControl): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(recordRequests(state, control));
  app.use(express.json({ limit: '1mb' }));
  app.use(latency(control));
  app.use(stallRequests(control));
  app.use(injectFaults(control));
  app.use('/v1', authenticate(state), rateLimit(control));

  app.get('/v1/account', (_req, res) => {
    const { id, name, country, timezone } = accountOf(res);
    res.json({ id, name, country, timezone });
  });
  app.get('/v1/agents', (req, res) => sendPage(req, res, [...accountOf(res).agents.values()]));
  app.get('/v1/dispositions', (req, res) => sendPage(req, res, [...accountOf(res).dispositions.values()]));
  app.get('/v1/lists', (req, res) => {
    const account = accountOf(res);
    sendPage(
      req,
      res,
      [...account.lists.values()].map((list) => state.renderList(account, list)),
    );
  });

  app.put('/v1/contacts/:external_id', (req, res) => {
    const parsed = contactBody.safeParse(req.body ?? {});
    if (!parsed.success) return validationFailed(res, parsed.error);
    const account = accountOf(res);
    const externalId = param(req, 'external_id');
    const existing = account.contacts.get(externalId);
    const input = parsed.data;
    if (!existing) {
      const contact = state.addContact(account.id, {
        ...input,
        external_id: externalId,
        fields: input.fields ?? {},
      });
      state.onContactChanged?.(account, account.contacts.get(externalId)!, Object.keys(input));
      return void res.status(201).json({ contact });
    }
    const before = state.renderContact(account, existing);
    existing.phone = input.phone;
    for (const key of CONTACT_TEXT_FIELDS) if (input[key] !== undefined) existing[key] = input[key] ?? null;
    if (input.fields) existing.fields = { ...existing.fields, ...input.fields };
    existing.updated_at = state.isoNow();
    const changed = changedFields(before, state.renderContact(account, existing));
    if (changed.length > 0) state.onContactChanged?.(account, existing, changed);
    res.status(200).json({ contact: state.renderContact(account, existing) });
  });

  app.patch('/v1/contacts/by-id/:id', (req, res) => {
    const parsed = memberBody.safeParse(req.body ?? {});
    if (!parsed.success) return validationFailed(res, parsed.error);
    const account = accountOf(res);
    const contact = state.setExternalId(account, param(req, 'id'), parsed.data.external_id);
    if (contact === null) return sendError(res, 404, 'not_found', 'No such contact');
    if (contact === 'conflict')
      return sendError(res, 409, 'conflict', 'Another contact has this external_id, or this one has one');
    res.json({ contact: state.renderContact(account, contact) });
  });

  app.get('/v1/contacts/:external_id', (req, res) => {
    const account = accountOf(res);
    const contact = account.contacts.get(param(req, 'external_id'));
    if (!contact) return sendError(res, 404, 'not_found', 'No such contact');
    res.json({ contact: state.renderContact(account, contact) });
  });

  app.delete('/v1/contacts/:external_id', (req, res) => {
    if (!accountOf(res).contacts.delete(param(req, 'external_id'))) {
      return sendError(res, 404, 'not_found', 'No such contact');
    }
    res.status(204).end();
  });

  app.delete('/v1/contacts/:external_id/memberships', (req, res) => {
    const contact = accountOf(res).contacts.get(param(req, 'external_id'));
    if (!contact) return sendError(res, 404, 'not_found', 'No such contact');
    contact.memberships.clear();
    res.status(204).end();
  });

  app.post('/v1/lists/:list_id/members', (req, res) => {
    const parsed = memberBody.safeParse(req.body ?? {});
    if (!parsed.success) return validationFailed(res, parsed.error);
    const account = accountOf(res);
    const list = account.lists.get(param(req, 'list_id'));
    if (!list) return sendError(res, 404, 'not_found', 'No such list');
    if (list.archived) return sendError(res, 409, 'list_archived', 'The list is archived');
    const contact = account.contacts.get(parsed.data.external_id);
    if (!contact) return sendError(res, 404, 'not_found', 'No such contact');
    const already = contact.memberships.has(list.id);
    if (!already) contact.memberships.set(list.id, state.isoNow());
    res.status(already ? 200 : 201).json({ list_id: list.id, external_id: contact.external_id });
  });

  app.delete('/v1/lists/:list_id/members/:external_id', (req, res) => {
    const contact = accountOf(res).contacts.get(param(req, 'external_id'));
    if (!contact?.memberships.delete(param(req, 'list_id'))) {
      return sendError(res, 404, 'not_found', 'The contact is not a member of this list');
    }
    res.status(204).end();
  });

  app.post('/v1/webhooks', (req, res) => {
    const parsed = webhookBody.safeParse(req.body ?? {});
    if (!parsed.success) return validationFailed(res, parsed.error);
    const webhook = {
      id: newId('wh'),
      url: parsed.data.url,
      events: [...new Set(parsed.data.events)],
      description: parsed.data.description ?? null,
      secret: `whsec_${randomBytes(24).toString('hex')}`,
      active: true,
    };
    accountOf(res).webhooks.set(webhook.id, webhook);
    const { id, url, events, secret, active } = webhook;
    res.status(201).json({ id, url, events, secret, active });
  });

  app.get('/v1/webhooks', (req, res) => {
    const hooks = [...accountOf(res).webhooks.values()];
    sendPage(
      req,
      res,
      hooks.map(({ id, url, events, active }) => ({ id, url, events, active })),
    );
  });

  app.delete('/v1/webhooks/:id', (req, res: Response) => {
    if (!accountOf(res).webhooks.delete(param(req, 'id'))) {
      return sendError(res, 404, 'not_found', 'No such webhook');
    }
    res.status(204).end();
  });

  mediaRoutes(app, state, () => state.now());

  app.use(notFound);
  app.use(handleErrors);
  return app;
}
