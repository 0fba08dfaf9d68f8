import { Alert, Button, LoadingSpinner, StatusTag, Table } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { DialerCardView } from '../../hubspot-project/app/cards/DialerCardView.tsx';
import { adminSession, failWith, fakeBackend, userSession } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const status = {
  contactId: '501',
  dialer: { linked: true, dialerContactId: 'dc-1', doNotCall: true, lineType: 'mobile' },
  lists: [{ listId: 'l1', name: 'Hot leads', addedAt: '2026-11-19T08:00:00.000Z' }],
  calls: [
    {
      callId: 'c1',
      startedAt: '2026-11-20T09:30:00.000Z',
      direction: 'OUTBOUND',
      outcome: 'Connected',
      owner: 'Ann',
      syncState: 'synced',
    },
  ],
  lastError: { message: 'Dialer.io rejected the phone number.', at: '2026-11-20T09:31:00.000Z' },
};
const routes = {
  'GET /api/session': adminSession,
  'GET /api/contacts/501/status': status,
  'POST /api/contacts/501/sync': { queued: true },
  'DELETE /api/contacts/501/memberships': { removed: 1 },
};

function renderCard(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<DialerCardView api={backend.api} contactId="501" context={renderer.mocks.context} />);
  return renderer;
}

describe('contact card', () => {
  it('shows a spinner while loading', async () => {
    const renderer = renderCard(fakeBackend(routes, { pending: ['GET /api/contacts/501/status'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it('shows the contact in Dialer.io, its lists, its last calls and the last error', async () => {
    const renderer = renderCard(fakeBackend(routes));
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'linked').text).toBe('In Dialer.io'));
    expect(renderer.findByTestId(StatusTag, 'dnc')).toBeTruthy();
    expect(screen(renderer)).toContain('Line type: mobile');
    expect(renderer.findByTestId(Table, 'lists').toString()).toContain('Hot leads');
    expect(renderer.findByTestId(Table, 'calls').toString()).toContain('OUTBOUND');
    expect(renderer.findByTestId(Alert, 'last-error').toString()).toContain('rejected the phone number');
  });

  it('tags each call with a recording that plays in HubSpot and a transcript sent, from one request', async () => {
    const call = status.calls[0]!;
    const calls = [
      { ...call, callId: 'c1', hasRecording: true, transcriptSent: true },
      { ...call, callId: 'c2', hasRecording: true, transcriptSent: false },
      { ...call, callId: 'c3', hasRecording: false, transcriptSent: false },
      { ...call, callId: 'c4' }, // a backend from before the tags
    ];
    const backend = fakeBackend({ ...routes, 'GET /api/contacts/501/status': { ...status, calls } });
    const renderer = renderCard(backend);
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'recording-c1').text).toBe('Recording'));
    expect(renderer.findByTestId(StatusTag, 'transcript-c1').text).toBe('Transcript');
    expect(renderer.findByTestId(StatusTag, 'recording-c2').text).toBe('Recording');
    const tags = renderer.findAll(StatusTag).map((tag) => tag.props.testId);
    expect(tags.filter((id) => /^(recording|transcript)-/.test(String(id)))).toEqual([
      'recording-c1',
      'transcript-c1',
      'recording-c2',
    ]);
    expect(renderer.findByTestId(Table, 'calls').toString()).toContain('Media');
    expect(backend.countByRoute()['GET /api/contacts/501/status']).toBe(1);
  });

  it('shows empty lists and calls', async () => {
    const empty = { ...status, dialer: { linked: false }, lists: [], calls: [], lastError: null };
    const renderer = renderCard(fakeBackend({ ...routes, 'GET /api/contacts/501/status': empty }));
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'linked').text).toBe('Not in Dialer.io'));
    expect(screen(renderer)).toContain('Not in any Dialer.io list.');
    expect(screen(renderer)).toContain('No calls logged by Dialer Sync yet.');
    expect(renderer.maybeFind(Alert, { testId: 'last-error' })).toBeNull();
  });

  it("shows the backend's error message", async () => {
    const backend = fakeBackend({
      ...routes,
      'GET /api/contacts/501/status': failWith(
        404,
        'contact_not_found',
        'This contact is not in this portal.',
      ),
    });
    const renderer = renderCard(backend);
    await eventually(() => expect(screen(renderer)).toContain('This contact is not in this portal.'));
  });

  it('syncs now, and removes from all lists after confirmation', async () => {
    const backend = fakeBackend(routes);
    const renderer = renderCard(backend);
    await eventually(() => renderer.findByTestId(Button, 'remove-from-lists'));
    fire(renderer.findByTestId(Button, 'sync-now'), 'onClick');
    await eventually(() => expect(backend.writes()).toHaveLength(1));
    fire(renderer.findByTestId(Button, 'remove-from-lists'), 'onClick');
    expect(backend.writes()).toHaveLength(1);
    await eventually(() => renderer.findByTestId(Button, 'remove-from-lists-confirm'));
    fire(renderer.findByTestId(Button, 'remove-from-lists-confirm'), 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'POST', path: '/api/contacts/501/sync', query: {}, body: undefined },
        { method: 'DELETE', path: '/api/contacts/501/memberships', query: {}, body: undefined },
      ]),
    );
    await eventually(() => expect(screen(renderer)).toContain('Removed from all Dialer.io lists.'));
  });

  it('shows why a sync failed', async () => {
    const backend = fakeBackend({
      ...routes,
      'POST /api/contacts/501/sync': failWith(409, 'no_phone', 'This contact has no phone number.'),
    });
    const renderer = renderCard(backend);
    await eventually(() => renderer.findByTestId(Button, 'sync-now'));
    fire(renderer.findByTestId(Button, 'sync-now'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('This contact has no phone number.'));
  });

  it('a non-super-admin sees no remove button', async () => {
    const renderer = renderCard(fakeBackend({ ...routes, 'GET /api/session': userSession }));
    await eventually(() => renderer.findByTestId(StatusTag, 'linked'));
    await eventually(() => expect(renderer.findAll(Button).map((b) => b.props.testId)).toEqual(['sync-now']));
  });
});
