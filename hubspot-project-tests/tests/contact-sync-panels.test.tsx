import { Button, Input, ProgressBar, Select, Tag } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { PropertyMappingPanel } from '../../hubspot-project/app/settings/panels/PropertyMappingPanel.tsx';
import { SyncOperationsPanel } from '../../hubspot-project/app/settings/panels/SyncOperationsPanel.tsx';
import { SyncSettingsPanel } from '../../hubspot-project/app/settings/panels/SyncSettingsPanel.tsx';
import { failWith, fakeBackend, type Routes } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const contactSync = { creation: 'hubspot_to_dialer', createFromHubSpot: 'sent', updates: 'both' };
const mappings = {
  mappings: [
    {
      dialerField: 'phone',
      hubspotProperty: 'phone',
      category: 'locked',
      direction: 'both',
      editable: false,
      removable: false,
    },
    {
      dialerField: 'owner_email',
      hubspotProperty: 'hubspot_owner_id',
      category: 'special',
      direction: 'both',
      editable: true,
      removable: false,
    },
    {
      dialerField: 'first_name',
      hubspotProperty: 'firstname',
      category: 'default',
      direction: 'both',
      editable: true,
      removable: true,
    },
    {
      dialerField: 'dnc',
      hubspotProperty: 'dialer_sync_do_not_call',
      category: 'compliance',
      direction: 'dialer_to_hubspot',
      editable: true,
      removable: false,
    },
  ],
};
const properties = {
  items: [
    { name: 'favourite_colour', label: 'Favourite colour', type: 'string', readOnly: false },
    { name: 'renewal_date', label: 'Renewal date', type: 'date', readOnly: false },
  ],
};
const mappingRoutes: Routes = {
  'GET /api/property-mappings': mappings,
  'GET /api/contact-properties': properties,
};

function render(node: React.ReactElement) {
  const renderer = createRenderer('settings');
  renderer.render(node);
  return renderer;
}

describe('sync settings panel', () => {
  it('changes creation with PATCH /api/settings {contactSync}', async () => {
    const backend = fakeBackend({
      'GET /api/settings': { debugMode: false, contactSync },
      'PATCH /api/settings': { debugMode: false, contactSync: { ...contactSync, creation: 'both' } },
    });
    const renderer = render(<SyncSettingsPanel api={backend.api} canEdit debugMode={false} />);
    await eventually(() => renderer.findByTestId(Select, 'creation'));
    fire(renderer.findByTestId(Select, 'creation'), 'onChange', 'both');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'PATCH', path: '/api/settings', query: {}, body: { contactSync: { creation: 'both' } } },
      ]),
    );
  });

  it('is read-only for a non-super-admin', async () => {
    const backend = fakeBackend({ 'GET /api/settings': { debugMode: false, contactSync } });
    const renderer = render(<SyncSettingsPanel api={backend.api} canEdit={false} debugMode={false} />);
    await eventually(() => expect(renderer.findByTestId(Select, 'updates').props.readOnly).toBe(true));
    expect(screen(renderer)).toContain('Only a HubSpot super admin');
  });
});

describe('property mapping panel', () => {
  it('shows the lock and removable markers; locked rows cannot change, removable ones have Remove', async () => {
    const renderer = render(
      <PropertyMappingPanel api={fakeBackend(mappingRoutes).api} canEdit debugMode={false} />,
    );
    await eventually(() => renderer.findByTestId(Tag, 'marker-phone'));
    expect(screen(renderer)).toContain('Locked');
    expect(renderer.findByTestId(Tag, 'marker-first_name').text).toBe('Removable');
    expect(renderer.findByTestId(Select, 'direction-phone').props.readOnly).toBe(true);
    expect(renderer.findByTestId(Select, 'direction-dnc').props.readOnly).toBe(true);
    expect(renderer.findByTestId(Select, 'direction-owner_email').props.readOnly).toBe(false);
    expect(renderer.maybeFind(Button, { testId: 'remove-phone' })).toBeNull();
    expect(renderer.findByTestId(Button, 'remove-first_name')).toBeTruthy();
  });

  it("adds a custom mapping from a searchable dropdown of HubSpot's properties, and shows the backend's error", async () => {
    const backend = fakeBackend({
      ...mappingRoutes,
      'PUT /api/property-mappings/fields.renewal': failWith(
        400,
        'property_type_mismatch',
        'fields.renewal holds text values; "renewal_date" is a date property.',
      ),
    });
    const renderer = render(<PropertyMappingPanel api={backend.api} canEdit debugMode={false} />);
    await eventually(() => renderer.findByTestId(Select, 'custom-property'));
    fire(renderer.findByTestId(Select, 'custom-property'), 'onInput', 'renew');
    await eventually(() =>
      expect(renderer.findByTestId(Select, 'custom-property').props.options).toEqual([
        { label: 'Renewal date (renewal_date, date)', value: 'renewal_date' },
      ]),
    );
    fire(renderer.findByTestId(Select, 'custom-property'), 'onChange', 'renewal_date');
    fire(renderer.findByTestId(Input, 'custom-key'), 'onChange', 'renewal');
    await eventually(() => expect(renderer.findByTestId(Button, 'add-mapping').props.disabled).toBe(false));
    fire(renderer.findByTestId(Button, 'add-mapping'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('is a date property'));
    expect(backend.writes()).toEqual([
      {
        method: 'PUT',
        path: '/api/property-mappings/fields.renewal',
        query: {},
        body: { hubspotProperty: 'renewal_date', direction: 'both' },
      },
    ]);
  });

  it('is read-only for a non-super-admin', async () => {
    const renderer = render(
      <PropertyMappingPanel api={fakeBackend(mappingRoutes).api} canEdit={false} debugMode={false} />,
    );
    await eventually(() => renderer.findByTestId(Select, 'direction-first_name'));
    expect(renderer.findByTestId(Select, 'direction-first_name').props.readOnly).toBe(true);
    expect(renderer.maybeFind(Button, { testId: 'remove-first_name' })).toBeNull();
  });
});

describe('pull & push panel', () => {
  const running = {
    operations: [
      {
        id: 'op-1',
        kind: 'pull_contacts',
        status: 'running',
        total: 1000,
        done: 400,
        failed: 2,
        startedAt: '2026-11-30T08:00:00.000Z',
        finishedAt: null,
        lastError: null,
      },
    ],
    lastRuns: {
      pull_contacts: '2026-11-29T08:00:00.000Z',
      push_contacts: null,
      mappingsRefresh: '2026-11-30T07:00:00.000Z',
    },
  };

  it('shows a progress bar and the last-run times, cancels, and starts a push', async () => {
    const backend = fakeBackend({
      'GET /api/sync/operations': running,
      'POST /api/sync/operations/op-1/cancel': {
        operation: { ...running.operations[0], status: 'cancelled' },
      },
      'POST /api/sync/operations': { status: 202, body: { operation: {} } },
    });
    const renderer = render(
      <SyncOperationsPanel api={backend.api} canEdit debugMode={false} pollMs={60_000} />,
    );
    await eventually(() => renderer.findByTestId(ProgressBar, 'progress-op-1'));
    expect(renderer.findByTestId(ProgressBar, 'progress-op-1').props).toMatchObject({
      value: 402,
      maxValue: 1000,
    });
    expect(screen(renderer)).toContain('Last pull contacts: 11/29/2026');
    expect(renderer.findByTestId(Button, 'start-pull_contacts').props.disabled).toBe(true);
    fire(renderer.findByTestId(Button, 'cancel-op-1'), 'onClick');
    fire(renderer.findByTestId(Button, 'start-push_contacts'), 'onClick');
    await eventually(() =>
      expect(backend.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
        'POST /api/sync/operations/op-1/cancel',
        'POST /api/sync/operations',
      ]),
    );
  });

  it('offers to resume a kind whose last run failed, saying where it stopped, and shows its progress', async () => {
    const failed = {
      ...running.operations[0],
      id: 'op-2',
      kind: 'push_contacts',
      status: 'failed',
      total: 250,
      done: 120,
      failed: 3,
      lastError: 'Dialer.io unreachable',
    };
    const older = { ...running.operations[0], id: 'op-0', kind: 'pull_contacts', status: 'failed' };
    const backend = fakeBackend({
      'GET /api/sync/operations': {
        operations: [failed, { ...older, id: 'op-3', status: 'done' }, older],
        lastRuns: running.lastRuns,
      },
      'POST /api/sync/operations': { status: 202, body: { operation: {}, resumed: true } },
    });
    const renderer = render(<SyncOperationsPanel api={backend.api} canEdit debugMode={false} />);
    await eventually(() => renderer.findByTestId(ProgressBar, 'progress-op-2'));
    const resume = renderer.findByTestId(Button, 'start-push_contacts');
    expect(resume.text).toBe('Resume push (stopped at 123 of 250)');
    expect(resume.props.disabled).toBe(false);
    // The last pull finished: an older failed pull is not resumed.
    expect(renderer.findByTestId(Button, 'start-pull_contacts').text).toBe(
      'Pull contacts (HubSpot → Dialer.io)',
    );
    expect(renderer.findByTestId(ProgressBar, 'progress-op-2').props).toMatchObject({
      value: 123,
      maxValue: 250,
    });
    expect(screen(renderer)).toContain('Dialer.io unreachable');
    fire(resume, 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        expect.objectContaining({
          method: 'POST',
          path: '/api/sync/operations',
          body: { kind: 'push_contacts' },
        }),
      ]),
    );
  });

  it('has an empty state, and no buttons for a non-super-admin', async () => {
    const backend = fakeBackend({
      'GET /api/sync/operations': {
        operations: [],
        lastRuns: { pull_contacts: null, push_contacts: null, mappingsRefresh: null },
      },
    });
    const renderer = render(<SyncOperationsPanel api={backend.api} canEdit={false} debugMode={false} />);
    await eventually(() => expect(screen(renderer)).toContain('No pull or push yet'));
    expect(renderer.maybeFind(Button, { testId: 'start-pull_contacts' })).toBeNull();
  });
});
