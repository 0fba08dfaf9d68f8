import fc from 'fast-check';
import { editContact } from '../../test/simulators/hubspot/contact-changes.ts';
import { propertyChangeEvents } from '../../test/simulators/hubspot/contact-changes.ts';
import type { SimPropertyChange } from '../../test/simulators/hubspot/state.ts';
import { deliverHubSpotEvents } from '../../test/support/hubspot-webhooks.ts';
import { eventually, jobRunningFor, type TestApp } from '../../test/support/test-app.ts';
import type { DialerContact } from '../dialer/index.ts';
import { ADMIN, linkedContact, setUpPortal, startContactSyncApp } from './test-helpers.ts';

// The model-based test of contact sync (decision 0012), shared by `sync-model.test.ts` (npm test)
// and `bench/sync-model-soak.ts` (the soak). One app and database for every run: each run gets a
// fresh linked contact. The Dialer.io simulator sends nothing by itself: every contact change it
// makes (users' and ours) is captured as a pending contact.updated event, and HubSpot's property
// changes as pending webhooks; commands deliver them late, twice, out of order — or not yet.

export const PORTAL = 812401;
const APP_ID = 424242;

interface Field {
  hubspot: string;
  dialer: keyof DialerContact;
  direction: 'both' | 'hubspot_to_dialer' | 'dialer_to_hubspot';
  values: readonly string[];
}
/** The fields under test: three both ways, one HubSpot → Dialer.io only, and DNC (Dialer.io → HubSpot). */
export const FIELDS: Record<string, Field> = {
  firstname: { hubspot: 'firstname', dialer: 'first_name', direction: 'both', values: ['Ada', 'Bo', 'Cy'] },
  company: { hubspot: 'company', dialer: 'company', direction: 'both', values: ['Acme', 'Brix', 'Cog'] },
  phone: {
    hubspot: 'phone',
    dialer: 'phone',
    direction: 'both',
    values: ['+14155550101', '+14155550102', '+14155550103'],
  },
  lastname: {
    hubspot: 'lastname',
    dialer: 'last_name',
    direction: 'hubspot_to_dialer',
    values: ['Lo', 'Ma'],
  },
  dnc: {
    hubspot: 'dialer_sync_do_not_call',
    dialer: 'dnc',
    direction: 'dialer_to_hubspot',
    values: ['true', 'false'],
  },
};
export const INITIAL: Record<string, string> = {
  firstname: 'Ada',
  company: 'Acme',
  phone: '+14155550101',
  lastname: 'Lo',
};

export interface Edit {
  side: 'hubspot' | 'dialer';
  field: string;
  value: string;
}

/** What the users did, in order (each edit strictly later than the one before: the oracle). */
export interface Model {
  edits: Edit[];
}

export interface World {
  app: TestApp;
  setup: Awaited<ReturnType<typeof setUpPortal>>;
  offset: { ms: number };
  contactId: string;
  pendingHubSpot: SimPropertyChange[];
  hubspotCursor: number;
  pendingDialer: { contact: DialerContact; changed: string[] }[];
  last: DialerContact;
  lostAnswers: number;
}

export async function startWorld() {
  const offset = { ms: 0 };
  const now = () => Date.now() + offset.ms;
  const app = await startContactSyncApp({
    now,
    hubspot: { now },
    dialer: { now, contactEvents: false },
    env: { LOG_LEVEL: 'warn' },
    logLevel: 'warn',
  });
  const setup = await setUpPortal(app, PORTAL);
  await app.api('PATCH', '/api/settings', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { contactSync: { updates: 'both' } },
  });
  const mapping = await app.api('PUT', '/api/property-mappings/last_name', {
    portalId: PORTAL,
    userId: ADMIN,
    body: { hubspotProperty: 'lastname', direction: 'hubspot_to_dialer' },
  });
  if (mapping.status !== 200) throw new Error(`mapping refused: ${mapping.status}`);
  return { app, setup, offset };
}

const DIALER_KEYS = Object.values(FIELDS).map((f) => f.dialer);
const textOf = (contact: DialerContact, key: keyof DialerContact) => {
  const value = contact[key];
  return typeof value === 'boolean' ? String(value) : typeof value === 'string' ? value : '';
};

/** A fresh linked contact for one run; every Dialer.io change to it becomes a pending event. */
export async function newRun(base: Awaited<ReturnType<typeof startWorld>>, seq: number): Promise<World> {
  const { app, setup } = base;
  app.hubspot.clearFaults();
  app.dialer.clearFaults();
  const contactId = await linkedContact(app, setup, {
    firstname: INITIAL.firstname!,
    lastname: INITIAL.lastname!,
    company: INITIAL.company!,
    email: `model${seq}@sync.test`,
    phone: INITIAL.phone!,
  });
  app.dialer.setContact(setup.account.id, contactId, { company: INITIAL.company! });
  const world: World = {
    ...base,
    contactId,
    pendingHubSpot: [],
    hubspotCursor: setup.portal.propertyChanges.length,
    pendingDialer: [],
    last: app.dialer.contact(setup.account.id, contactId)!,
    lostAnswers: 0,
  };
  app.dialer.onContactWrite((externalId) => {
    if (externalId !== world.contactId) return;
    const contact = app.dialer.contact(setup.account.id, externalId)!;
    const changed = DIALER_KEYS.filter((k) => textOf(contact, k) !== textOf(world.last, k));
    world.last = contact;
    if (changed.length > 0) world.pendingDialer.push({ contact, changed });
  });
  return world;
}

/** Moves HubSpot's new property changes of the run's contact to the pending webhooks. */
export function collectHubSpot(world: World): void {
  const all = world.setup.portal.propertyChanges;
  for (const change of all.slice(world.hubspotCursor))
    if (change.objectId === world.contactId) world.pendingHubSpot.push(change);
  world.hubspotCursor = all.length;
}

export async function deliverHubSpot(world: World, change: SimPropertyChange): Promise<void> {
  const portal = world.setup.portal;
  const events = propertyChangeEvents({ ...portal, propertyChanges: [change] } as typeof portal, 0, {
    appId: APP_ID,
  });
  const response = await deliverHubSpotEvents(world.app, events, {
    timestampMs: Date.now() + world.offset.ms,
  });
  if (response.status !== 200) throw new Error(`HubSpot delivery refused: ${response.status}`);
}

export function deliverDialer(world: World, event: World['pendingDialer'][number]): void {
  world.app.dialer.emit(world.setup.account.id, 'contact.updated', event);
}

/** A user's edit on one side (skipped when it would change nothing); the clock moves on more than 1 s first. */
export function userEdit(world: World, model: Model, edit: Edit, stepMs: number): void {
  world.offset.ms += 1_001 + stepMs;
  const field = FIELDS[edit.field]!;
  if (edit.side === 'hubspot') {
    const contact = world.setup.portal.contact(world.contactId)!;
    if ((contact.properties[field.hubspot] ?? '') === edit.value) return;
    editContact(world.setup.portal, world.contactId, { [field.hubspot]: edit.value });
  } else {
    const contact = world.app.dialer.contact(world.setup.account.id, world.contactId)!;
    if (textOf(contact, field.dialer) === edit.value) return;
    const value = field.dialer === 'dnc' ? edit.value === 'true' : edit.value;
    world.app.dialer.setContact(world.setup.account.id, world.contactId, { [field.dialer]: value });
  }
  model.edits.push(edit);
}

/** Inboxes processed and no job running for the portal. */
export async function idle(world: World): Promise<void> {
  const db = world.app.runtime.ctx.db;
  const id = world.setup.installation.id;
  await world.app.dialer.waitForDeliveries(30_000);
  await eventually(
    async () => {
      for (const table of ['webhook_inbox', 'hubspot_webhook_inbox', 'contact_sync_inbox'] as const) {
        const open = await db
          .selectFrom(table)
          .select('id')
          .where('installation_id', '=', id)
          .where('processed_at', 'is', null)
          .limit(1)
          .execute();
        if (open.length > 0) return false;
      }
      return !jobRunningFor(world.app, id);
    },
    60_000,
    5,
  );
}

/** Delivers everything pending until nothing moves; throws when it keeps moving (a loop). */
export async function quiesce(world: World, maxRounds = 12): Promise<number> {
  world.app.hubspot.clearFaults();
  world.app.dialer.clearFaults();
  for (let round = 0; round < maxRounds; round++) {
    await idle(world);
    collectHubSpot(world);
    if (world.pendingHubSpot.length === 0 && world.pendingDialer.length === 0) return round;
    for (const change of world.pendingHubSpot.splice(0)) await deliverHubSpot(world, change);
    for (const event of world.pendingDialer.splice(0)) deliverDialer(world, event);
  }
  throw new Error(`still moving after ${maxRounds} rounds of deliveries (a loop?)`);
}

export const fieldArb = fc.constantFrom(...Object.keys(FIELDS));
