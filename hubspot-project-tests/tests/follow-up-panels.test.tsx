import { Button, Input, LoadingSpinner, NumberInput, Select, Toggle } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { MissedCallsPanel } from '../../hubspot-project/app/settings/panels/MissedCallsPanel.tsx';
import { UnmatchedCallsPanel } from '../../hubspot-project/app/settings/panels/UnmatchedCallsPanel.tsx';
import { failWith, fakeBackend, type Routes } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const settings = { debugMode: false, missedCalls: { enabled: true, dueMinutes: 60, fallbackOwnerId: null } };
const owners = { items: [{ id: '101', email: 'boss@acme.test', name: 'Top Manager' }] };
const settingsRoutes: Routes = { 'GET /api/settings': settings, 'GET /api/owners': owners };

function render(Panel: typeof MissedCallsPanel, backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<Panel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}

describe('missed calls panel', () => {
  it('shows a spinner while loading', async () => {
    const renderer = render(
      MissedCallsPanel,
      fakeBackend(settingsRoutes, { pending: ['GET /api/settings'] }),
    );
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it('saves on, due minutes and the fallback owner with PATCH /api/settings', async () => {
    const saved = { ...settings, missedCalls: { enabled: false, dueMinutes: 15, fallbackOwnerId: '101' } };
    const backend = fakeBackend({ ...settingsRoutes, 'PATCH /api/settings': saved });
    const renderer = render(MissedCallsPanel, backend);
    await eventually(() => renderer.findByTestId(Toggle, 'missed-calls-enabled'));
    fire(renderer.findByTestId(Toggle, 'missed-calls-enabled'), 'onChange', false);
    fire(renderer.findByTestId(NumberInput, 'missed-calls-due'), 'onChange', 15);
    fire(renderer.findByTestId(Select, 'missed-calls-fallback'), 'onChange', '101');
    fire(renderer.findByTestId(Button, 'missed-calls-save'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Saved.'));
    expect(backend.writes()).toEqual([
      { method: 'PATCH', path: '/api/settings', query: {}, body: { missedCalls: saved.missedCalls } },
    ]);
  });

  it("shows the backend's refusal", async () => {
    const backend = fakeBackend({
      ...settingsRoutes,
      'PATCH /api/settings': failWith(
        400,
        'unknown_owner',
        'HubSpot owner 101 is not an owner of this portal.',
      ),
    });
    const renderer = render(MissedCallsPanel, backend);
    await eventually(() => renderer.findByTestId(Button, 'missed-calls-save'));
    fire(renderer.findByTestId(Button, 'missed-calls-save'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('is not an owner of this portal'));
  });

  it('shows a load error with its message', async () => {
    const backend = fakeBackend({
      ...settingsRoutes,
      'GET /api/owners': failWith(502, 'hubspot_down', 'HubSpot did not answer.'),
    });
    const renderer = render(MissedCallsPanel, backend);
    await eventually(() => expect(screen(renderer)).toContain('HubSpot did not answer.'));
  });

  it('is read-only for a non-super-admin', async () => {
    const renderer = render(MissedCallsPanel, fakeBackend(settingsRoutes), false);
    await eventually(() =>
      expect(renderer.findByTestId(Toggle, 'missed-calls-enabled').props.readOnly).toBe(true),
    );
    expect(renderer.findByTestId(Select, 'missed-calls-fallback').props.readOnly).toBe(true);
    expect(renderer.findAll(Button)).toEqual([]);
  });
});

const unmatched = {
  items: [
    {
      callId: 'c-1',
      direction: 'inbound',
      status: 'missed',
      number: '+61293747777',
      startedAt: '2026-11-30T06:00:00Z',
      agent: null,
      ownerId: null,
    },
  ],
};

describe('unmatched calls panel', () => {
  it('shows an empty state when every call has a contact', async () => {
    const renderer = render(UnmatchedCallsPanel, fakeBackend({ 'GET /api/calls/unmatched': { items: [] } }));
    await eventually(() => expect(screen(renderer)).toContain('Every call has a contact'));
  });

  it('links a call to a contact found by search', async () => {
    const backend = fakeBackend({
      'GET /api/calls/unmatched': unmatched,
      'GET /api/calls/contact-search': {
        items: [{ id: '501', name: 'Lara Late', email: 'lara@acme.test', phone: null }],
      },
      'POST /api/calls/c-1/contact': { callId: 'c-1', contactId: '501' },
    });
    const renderer = render(UnmatchedCallsPanel, backend);
    await eventually(() => renderer.findByTestId(Button, 'link-c-1'));
    fire(renderer.findByTestId(Button, 'link-c-1'), 'onClick');
    await eventually(() => renderer.findByTestId(Input, 'contact-search'));
    fire(renderer.findByTestId(Input, 'contact-search'), 'onChange', 'lara');
    await eventually(() =>
      expect(renderer.findByTestId(Button, 'contact-search-go').props.disabled).toBe(false),
    );
    fire(renderer.findByTestId(Button, 'contact-search-go'), 'onClick');
    await eventually(() => renderer.findByTestId(Button, 'pick-501'));
    fire(renderer.findByTestId(Button, 'pick-501'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Associated the call with Lara Late.'));
    expect(backend.calls.find((c) => c.path === '/api/calls/contact-search')!.query).toEqual({ q: 'lara' });
    expect(backend.writes()).toEqual([
      { method: 'POST', path: '/api/calls/c-1/contact', query: {}, body: { contactId: '501' } },
    ]);
  });

  it("creates a contact, and shows the backend's refusal", async () => {
    const backend = fakeBackend({
      'GET /api/calls/unmatched': unmatched,
      'POST /api/calls/c-1/contact': failWith(
        403,
        'not_allowed',
        "Only a HubSpot super admin or the call's owner can link this call.",
      ),
    });
    const renderer = render(UnmatchedCallsPanel, backend);
    await eventually(() => renderer.findByTestId(Button, 'create-c-1'));
    fire(renderer.findByTestId(Button, 'create-c-1'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Only a HubSpot super admin or the call'));
    expect(backend.writes()).toEqual([
      { method: 'POST', path: '/api/calls/c-1/contact', query: {}, body: { create: true } },
    ]);
  });

  it('shows a load error with its message', async () => {
    const backend = fakeBackend({
      'GET /api/calls/unmatched': failWith(500, 'internal', 'Something went wrong on our side.'),
    });
    const renderer = render(UnmatchedCallsPanel, backend);
    await eventually(() => expect(screen(renderer)).toContain('Something went wrong on our side.'));
  });
});
