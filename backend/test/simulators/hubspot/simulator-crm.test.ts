// The simulator's CRM behaviour: contacts, search, calls, associations, small read APIs.
import { beforeEach, describe, expect, it } from 'vitest';
import { BUSY, PORTAL, api, call, closeAfterEach, h, start, toContact } from './test-support.ts';

closeAfterEach();

describe('contacts and search', () => {
  beforeEach(() => start({ searchIndexDelayMs: 500 }));

  it('finds contacts by national number only after the index delay', async () => {
    const id = h.sim.addContact(PORTAL, {
      firstname: 'Ada',
      phone: '+1 (415) 555-0100',
      mobilephone: '+44 7700 900123',
    });
    const contact = h.sim.portal(PORTAL).contact(id)!;
    expect(contact.properties.hs_searchable_calculated_phone_number).toBe('4155550100');
    expect(contact.properties.hs_searchable_calculated_mobile_number).toBe('7700900123');
    expect(contact.properties.lastmodifieddate).toBeTruthy();

    const query = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'hs_searchable_calculated_phone_number', operator: 'EQ', value: '4155550100' },
          ],
        },
        {
          filters: [
            { propertyName: 'hs_searchable_calculated_mobile_number', operator: 'EQ', value: '4155550100' },
          ],
        },
      ],
      properties: ['firstname', 'phone'],
      limit: 10,
    };
    const early = (await (await api('POST', '/crm/v3/objects/contacts/search', query)).json()) as {
      total: number;
    };
    expect(early.total).toBe(0);
    h.clock += 500;
    const res = await api('POST', '/crm/objects/2026-03/contacts/search', query);
    const body = (await res.json()) as { total: number; results: Array<{ id: string; properties: object }> };
    expect(body.total).toBe(1);
    expect(body.results[0]).toMatchObject({
      id,
      archived: false,
      properties: { firstname: 'Ada', phone: '+1 (415) 555-0100' },
    });

    const tooMany = { filterGroups: Array.from({ length: 6 }, () => query.filterGroups[0]) };
    const rejected = await api('POST', '/crm/v3/objects/contacts/search', tooMany);
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('creates, reads and batch-reads contacts; refuses unknown properties and duplicate emails', async () => {
    const created = await api('POST', '/crm/v3/objects/contacts', {
      properties: { email: 'a@x.com', phone: '(415) 555-0100' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const got = await (
      await api(
        'GET',
        `/crm/v3/objects/contacts/${id}?properties=phone,hs_searchable_calculated_phone_number`,
      )
    ).json();
    expect(got).toMatchObject({
      properties: { email: 'a@x.com', hs_searchable_calculated_phone_number: '4155550100' },
    });
    const read = await api('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id }, { id: '999' }],
      properties: ['email'],
    });
    expect(read.status).toBe(207);
    expect(((await read.json()) as { results: unknown[] }).results).toHaveLength(1);
    expect((await api('POST', '/crm/v3/objects/contacts', { properties: { email: 'A@x.com' } })).status).toBe(
      409,
    );
    expect(
      (await api('POST', '/crm/v3/objects/contacts', { properties: { dialer_calls: '1' } })).status,
    ).toBe(400);
  });
});

describe('calls', () => {
  let contactId: string;
  let ownerId: string;
  beforeEach(async () => {
    await start();
    contactId = h.sim.addContact(PORTAL, { email: 'c@x.com' });
    ownerId = h.sim.addOwner(PORTAL, {
      email: 'rep@x.com',
      firstName: 'Rep',
      lastName: 'One',
      userId: 777,
    }).id;
  });

  it('batch-creates calls with associations, updates them and finds them by external id', async () => {
    const res = await api('POST', '/crm/v3/objects/calls/batch/create', {
      inputs: [
        {
          ...call({ hs_call_external_id: 'd-1', hs_call_disposition: BUSY, hubspot_owner_id: ownerId }),
          associations: toContact(contactId),
        },
        {
          ...call({ hs_call_external_id: 'd-2', hs_call_disposition: '' }),
          associations: toContact(contactId),
        },
      ],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      status: string;
      results: Array<{ id: string; properties: Record<string, string> }>;
    };
    expect(body.status).toBe('COMPLETE');
    expect(body.results[0]!.properties).toMatchObject({
      hs_call_external_id: 'd-1',
      hs_timestamp: new Date(h.clock).toISOString(),
    });
    expect(body.results[0]!.properties.hs_object_id).toBe(body.results[0]!.id);

    const portal = h.sim.portal(PORTAL);
    expect(portal.calls).toHaveLength(2);
    expect(portal.callsByExternalId('d-1')[0]!.associations.contacts).toEqual([
      { id: contactId, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] },
    ]);
    expect(portal.contact(contactId)!.associations.calls).toHaveLength(2);

    const upd = await api('POST', '/crm/objects/2026-03/calls/batch/update', {
      inputs: [{ id: body.results[1]!.id, properties: { hs_call_status: 'NO_ANSWER' } }],
    });
    expect(upd.status).toBe(200);
    expect(portal.call(body.results[1]!.id)!.properties.hs_call_status).toBe('NO_ANSWER');

    const found = await api('POST', '/crm/v3/objects/calls/search', {
      filterGroups: [
        { filters: [{ propertyName: 'hs_call_external_id', operator: 'IN', values: ['d-1', 'd-2', 'd-3'] }] },
      ],
      properties: ['hs_call_external_id'],
    });
    expect(((await found.json()) as { total: number }).total).toBe(2);

    const tooBig = await api('POST', '/crm/v3/objects/calls/batch/create', {
      inputs: Array.from({ length: 101 }, () => call()),
    });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
    expect(h.sim.writeRequests().map((r) => r.path)).toEqual([
      '/crm/v3/objects/calls/batch/create',
      '/crm/objects/2026-03/calls/batch/update',
      '/crm/v3/objects/calls/batch/create',
    ]);
  });

  it('validates call properties, owners, outcomes and associations', async () => {
    const cases: Array<[unknown, string]> = [
      [{ properties: { hs_call_status: 'COMPLETED' } }, 'hs_timestamp'],
      [call({ hs_call_status: 'DONE' }), 'hs_call_status'],
      [call({ hs_call_direction: 'SIDEWAYS' }), 'hs_call_direction'],
      [call({ hs_call_disposition: 'nope' }), 'hs_call_disposition'],
      [call({ hubspot_owner_id: '777' }), 'hubspot_owner_id'],
      [{ ...call(), associations: toContact('123456') }, 'contacts 123456'],
    ];
    for (const [input, word] of cases) {
      const res = await api('POST', '/crm/v3/objects/calls', input);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { message: string; category: string };
      expect(err.category).toBe('VALIDATION_ERROR');
      expect(err.message).toContain(word);
    }
    expect(h.sim.portal(PORTAL).calls).toHaveLength(0);

    const ok = await api('POST', '/crm/objects/2026-03/calls', call());
    const { id } = (await ok.json()) as { id: string };
    const put = await api('PUT', `/crm/v4/objects/calls/${id}/associations/default/contacts/${contactId}`);
    expect(put.status).toBe(200);
    expect(h.sim.portal(PORTAL).call(id)!.associations.contacts?.[0]?.id).toBe(contactId);
    const patch = await api('PATCH', `/crm/v3/objects/calls/${id}`, { properties: { hs_call_body: 'hi' } });
    expect(await patch.json()).toMatchObject({ properties: { hs_call_body: 'hi' } });
  });

  it('answers a batch association with a gone object as 207: the others land, the bad one is an error', async () => {
    const contactId = h.sim.addContact(PORTAL, { firstname: 'Ada' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push(
        ((await (await api('POST', '/crm/objects/2026-03/calls', call())).json()) as { id: string }).id,
      );
    const input = (callId: string, to: string) => ({
      from: { id: callId },
      to: { id: to },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }],
    });
    const path = '/crm/associations/2026-03/calls/contacts/batch/create';
    const mixed = await api('POST', path, { inputs: [input(ids[0]!, contactId), input(ids[1]!, '999999')] });
    expect(mixed.status).toBe(207);
    const body = (await mixed.json()) as {
      results: unknown[];
      errors: { context: Record<string, string[]> }[];
    };
    expect(body.results).toHaveLength(1);
    expect(body.errors[0]!.context).toEqual({ fromObjectId: [ids[1]], toObjectId: ['999999'] });
    expect(h.sim.portal(PORTAL).call(ids[0]!)!.associations.contacts?.[0]?.id).toBe(contactId);
    expect(h.sim.portal(PORTAL).call(ids[1]!)!.associations.contacts ?? []).toEqual([]);
    const allBad = await api('POST', path, { inputs: [input(ids[1]!, '999999')] });
    expect(allBad.status).toBe(400);
  });
});

describe('owners, outcomes, users, properties, callbacks', () => {
  beforeEach(() => start());

  it('serves the small read APIs and records callback completions', async () => {
    for (let i = 0; i < 3; i++) h.sim.addOwner(PORTAL, { email: `o${i}@x.com`, userId: 900 + i });
    const page1 = (await (await api('GET', '/crm/v3/owners/?limit=2')).json()) as {
      results: unknown[];
      paging: { next: { after: string } };
    };
    expect(page1.results).toHaveLength(2);
    const page2 = (await (
      await api('GET', `/crm/owners/2026-03?limit=2&after=${page1.paging.next.after}`)
    ).json()) as {
      results: Array<{ email: string }>;
      paging?: unknown;
    };
    expect(page2.results.map((o) => o.email)).toEqual(['o2@x.com']);
    expect(page2.paging).toBeUndefined();
    const byEmail = (await (await api('GET', '/crm/v3/owners/?email=o1@x.com')).json()) as {
      results: unknown[];
    };
    expect(byEmail.results).toEqual([
      expect.objectContaining({ email: 'o1@x.com', userId: 901, archived: false }),
    ]);

    const outcomes = (await (await api('GET', '/calling/v1/dispositions')).json()) as Array<{
      label: string;
    }>;
    expect(outcomes.map((o) => o.label)).toEqual([
      'Busy',
      'Connected',
      'Left live message',
      'Left voicemail',
      'No answer',
      'Wrong number',
    ]);

    expect(await (await api('GET', '/settings/users/2026-03/501')).json()).toMatchObject({
      id: '501',
      superAdmin: true,
    });
    expect(await (await api('GET', '/settings/v3/users/502')).json()).toMatchObject({ superAdmin: false });
    expect((await api('GET', '/settings/v3/users/9')).status).toBe(404);

    const group = { name: 'dialer_sync', label: 'Dialer Sync' };
    expect((await api('POST', '/crm/v3/properties/contacts/groups', group)).status).toBe(201);
    expect((await api('POST', '/crm/properties/2026-03/contacts/groups', group)).status).toBe(409);
    const prop = {
      name: 'dialer_calls',
      label: 'Calls',
      groupName: 'dialer_sync',
      type: 'number',
      fieldType: 'number',
    };
    expect((await api('POST', '/crm/v3/properties/contacts', prop)).status).toBe(201);
    const dup = await api('POST', '/crm/properties/2026-03/contacts', prop);
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ category: 'CONFLICT' });
    expect(
      (await api('POST', '/crm/v3/objects/contacts', { properties: { dialer_calls: '1' } })).status,
    ).toBe(201);

    expect(
      (
        await api('POST', '/automation/v4/actions/callbacks/cb-1/complete', {
          outputFields: { hs_execution_state: 'SUCCESS' },
        })
      ).status,
    ).toBe(204);
    const input = { callbackId: 'cb-2', outputFields: { hs_execution_state: 'FAIL_CONTINUE' } };
    // The 2026-03 batch completion requires `typedOutputs` (HubSpot's reference and generated SDKs).
    const untyped = await api('POST', '/automation/actions/callbacks/2026-03/complete', { inputs: [input] });
    expect(untyped.status).toBe(400);
    const batch = { inputs: [{ ...input, typedOutputs: {} }] };
    expect((await api('POST', '/automation/actions/callbacks/2026-03/complete', batch)).status).toBe(204);
    expect(h.sim.portal(PORTAL).callbackCompletions.map((c) => c.callbackId)).toEqual(['cb-1', 'cb-2']);

    const unknown = await api('GET', '/crm/v3/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'error' });
  });
});
