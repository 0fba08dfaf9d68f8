import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../test/support/test-app.ts';
import { addContactProperty } from '../../test/simulators/hubspot/contact-changes.ts';
import { ADMIN, setUpPortal, startContactSyncApp } from './test-helpers.ts';

const PORTAL = 812001;
const NOT_ADMIN = 77;
let app: TestApp;

beforeAll(async () => {
  app = await startContactSyncApp({ workers: false });
  await setUpPortal(app, PORTAL);
  app.hubspot.setUser(PORTAL, NOT_ADMIN, { superAdmin: false });
  addContactProperty(app.hubspot.portal(PORTAL), { name: 'renewal_date', type: 'date', fieldType: 'date' });
  addContactProperty(app.hubspot.portal(PORTAL), {
    name: 'favourite_colour',
    type: 'string',
    fieldType: 'text',
  });
  addContactProperty(app.hubspot.portal(PORTAL), {
    name: 'score_calc',
    type: 'number',
    fieldType: 'number',
    readOnly: true,
  });
}, 60_000);
afterAll(() => app?.stop());

const api = (method: string, path: string, body?: unknown, userId = ADMIN) =>
  app.api(method, path, { portalId: PORTAL, userId, body });
const mappings = async () =>
  ((await (await api('GET', '/api/property-mappings')).json()) as { mappings: Record<string, unknown>[] })
    .mappings;
const stored = () => app.runtime.ctx.db.selectFrom('property_mappings').selectAll().execute();

describe('GET /api/property-mappings', () => {
  it('lists the built-in mapping with its categories, directions and markers', async () => {
    const list = await mappings();
    const by = (field: string) => list.find((m) => m.dialerField === field);
    expect(by('phone')).toEqual({
      dialerField: 'phone',
      hubspotProperty: 'phone',
      category: 'locked',
      direction: 'both',
      editable: false,
      removable: false,
    });
    expect(by('email')).toMatchObject({ category: 'locked', editable: false, removable: false });
    expect(by('owner_email')).toMatchObject({
      hubspotProperty: 'hubspot_owner_id',
      category: 'special',
      editable: true,
      removable: false,
    });
    expect(by('fields.lead_status')).toMatchObject({
      hubspotProperty: 'hs_lead_status',
      category: 'special',
    });
    expect(by('fields.lifecycle_stage')).toMatchObject({
      hubspotProperty: 'lifecyclestage',
      category: 'special',
    });
    for (const [field, property] of [
      ['first_name', 'firstname'],
      ['last_name', 'lastname'],
      ['company', 'company'],
      ['timezone', 'hs_timezone'],
      ['fields.city', 'city'],
      ['fields.website', 'website'],
    ] as const)
      expect(by(field)).toMatchObject({
        hubspotProperty: property,
        category: 'default',
        direction: 'both',
        editable: true,
        removable: true,
      });
    expect(by('dnc')).toMatchObject({
      hubspotProperty: 'dialer_sync_do_not_call',
      category: 'compliance',
      direction: 'dialer_to_hubspot',
      removable: false,
    });
    expect(by('line_type')).toMatchObject({
      hubspotProperty: 'dialer_sync_line_type',
      category: 'compliance',
    });
  });
});

describe('PUT and DELETE /api/property-mappings/:dialerField', () => {
  const errorCases = [
    ['property_not_found', 400, 'fields.colour', { hubspotProperty: 'no_such_property', direction: 'both' }],
    ['property_type_mismatch', 400, 'fields.renewal', { hubspotProperty: 'renewal_date', direction: 'both' }],
    ['direction_not_allowed', 400, 'dnc', { hubspotProperty: 'dialer_sync_do_not_call', direction: 'both' }],
    [
      'direction_not_allowed',
      400,
      'fields.score',
      { hubspotProperty: 'score_calc', direction: 'dialer_to_hubspot' },
    ],
    ['mapping_locked', 409, 'phone', { hubspotProperty: 'phone', direction: 'hubspot_to_dialer' }],
    ['mapping_locked', 409, 'email', { hubspotProperty: 'favourite_colour', direction: 'both' }],
    ['mapping_locked', 409, 'owner_email', { hubspotProperty: 'favourite_colour', direction: 'both' }],
  ] as const;

  it.each(errorCases)('answers %s (%i) and stores nothing', async (code, status, field, body) => {
    const before = await mappings();
    const response = await api('PUT', `/api/property-mappings/${field}`, body);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe(code);
    expect(answer.error.message.length).toBeGreaterThan(10);
    expect(await stored()).toEqual([]);
    expect(await mappings()).toEqual(before);
  });

  it('refuses a type mismatch for a custom field onto a checkbox, property created a moment ago', async () => {
    addContactProperty(app.hubspot.portal(PORTAL), {
      name: 'is_vip',
      type: 'bool',
      fieldType: 'booleancheckbox',
    });
    const response = await api('PUT', '/api/property-mappings/fields.vip', {
      hubspotProperty: 'is_vip',
      direction: 'both',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'property_type_mismatch',
    );
    expect(await stored()).toEqual([]);
  });

  it('locked and compliance mappings cannot be removed; special ones neither', async () => {
    for (const field of ['phone', 'email', 'dnc', 'line_type', 'owner_email']) {
      const response = await api('DELETE', `/api/property-mappings/${field}`);
      expect(response.status, field).toBe(409);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('mapping_locked');
    }
    expect(await stored()).toEqual([]);
  });

  it('only a super admin changes mappings', async () => {
    const response = await api(
      'PUT',
      '/api/property-mappings/fields.colour',
      { hubspotProperty: 'favourite_colour', direction: 'both' },
      NOT_ADMIN,
    );
    expect(response.status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it('creates a custom mapping, changes a direction, removes a default and a custom one', async () => {
    const created = await api('PUT', '/api/property-mappings/fields.colour', {
      hubspotProperty: 'favourite_colour',
      direction: 'hubspot_to_dialer',
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({
      mapping: {
        dialerField: 'fields.colour',
        hubspotProperty: 'favourite_colour',
        category: 'custom',
        direction: 'hubspot_to_dialer',
        editable: true,
        removable: true,
      },
    });
    expect(
      (
        await api('PUT', '/api/property-mappings/owner_email', {
          hubspotProperty: 'hubspot_owner_id',
          direction: 'dialer_to_hubspot',
        })
      ).status,
    ).toBe(200);
    expect((await api('DELETE', '/api/property-mappings/fields.website')).status).toBe(204);
    const list = await mappings();
    expect(list.find((m) => m.dialerField === 'owner_email')).toMatchObject({
      direction: 'dialer_to_hubspot',
    });
    expect(list.find((m) => m.dialerField === 'fields.website')).toBeUndefined();
    expect(list.at(-1)).toMatchObject({ dialerField: 'fields.colour', category: 'custom' });

    const taken = await api('PUT', '/api/property-mappings/fields.other', {
      hubspotProperty: 'favourite_colour',
      direction: 'both',
    });
    expect(taken.status).toBe(409);
    expect((await api('DELETE', '/api/property-mappings/fields.colour')).status).toBe(204);
    // Removing it again (a replayed request) is a no-op, not an error.
    expect((await api('DELETE', '/api/property-mappings/fields.colour')).status).toBe(204);
    expect((await mappings()).find((m) => m.dialerField === 'fields.colour')).toBeUndefined();
  });

  it("offers the portal's contact properties, read from HubSpot's properties API", async () => {
    const response = await api('GET', '/api/contact-properties');
    const { items } = (await response.json()) as {
      items: { name: string; type: string; readOnly: boolean }[];
    };
    expect(items.find((p) => p.name === 'renewal_date')).toMatchObject({ type: 'date', readOnly: false });
    expect(items.find((p) => p.name === 'score_calc')).toMatchObject({ readOnly: true });
    expect(app.hubspot.requestsTo('GET', '/crm/properties/2026-03/contacts').length).toBeGreaterThan(0);
  });
});

describe('the contactSync section of /api/settings', () => {
  it('starts with the recommended defaults', async () => {
    const response = await api('GET', '/api/settings');
    expect(await response.json()).toMatchObject({
      debugMode: false,
      contactSync: { creation: 'hubspot_to_dialer', createFromHubSpot: 'sent', updates: 'both' },
    });
  });

  it('a super admin changes it; anyone else gets 403 and nothing changes', async () => {
    const refused = await api('PATCH', '/api/settings', { contactSync: { creation: 'both' } }, NOT_ADMIN);
    expect(refused.status).toBe(403);
    expect(await app.runtime.ctx.db.selectFrom('contact_sync_settings').selectAll().execute()).toEqual([]);
    const bad = await api('PATCH', '/api/settings', { contactSync: { creation: 'sometimes' } });
    expect(bad.status).toBe(400);
    const ok = await api('PATCH', '/api/settings', {
      contactSync: { creation: 'both', updates: 'hubspot_to_dialer' },
    });
    expect(await ok.json()).toMatchObject({
      debugMode: false,
      contactSync: { creation: 'both', createFromHubSpot: 'sent', updates: 'hubspot_to_dialer' },
    });
    const debugOnly = await api('PATCH', '/api/settings', { debugMode: true });
    expect(((await debugOnly.json()) as { contactSync: { creation: string } }).contactSync.creation).toBe(
      'both',
    );
  });
});
