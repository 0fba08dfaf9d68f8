import { Button, Input, LoadingSpinner, Select, Table } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { ActivityPanel } from '../../hubspot-project/app/settings/panels/ActivityPanel.tsx';
import { failWith, fakeBackend, type RecordedCall } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const item = (id: number, level: string, callId: string | null, message: string) => ({
  id,
  callId,
  contactId: '501',
  level,
  step: level === 'error' ? 'hubspot_create_failed' : 'received',
  message,
  details: null,
  createdAt: '2026-11-20T09:30:00.000Z',
});
const firstPage = {
  items: [item(3, 'error', 'c-9', 'HubSpot refused the call'), item(2, 'info', null, 'Settings changed')],
  nextCursor: 'cur-2',
};
const secondPage = { items: [item(1, 'info', 'c-8', 'Call received')], nextCursor: null };
const callSteps = {
  items: [item(3, 'error', 'c-9', 'HubSpot refused the call'), item(4, 'info', 'c-9', 'Call received')],
  nextCursor: null,
};

const activity = (call: RecordedCall) =>
  call.query.callId === 'c-9' ? callSteps : call.query.cursor === 'cur-2' ? secondPage : firstPage;

function renderPanel(backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<ActivityPanel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}
const reads = (backend: ReturnType<typeof fakeBackend>) =>
  backend.calls.filter((c) => c.method === 'GET').map((c) => c.query);

describe('activity log', () => {
  it('shows a spinner while loading', async () => {
    const renderer = renderPanel(fakeBackend({}, { pending: ['GET /api/activity'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it("shows the backend's error message", async () => {
    const renderer = renderPanel(
      fakeBackend({ 'GET /api/activity': failWith(500, 'internal', 'The log is unavailable.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('The log is unavailable.'));
  });

  it('shows an empty state', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/activity': { items: [], nextCursor: null } }));
    await eventually(() => expect(screen(renderer)).toContain('No activity'));
  });

  it('applies the filters and pages with the cursor', async () => {
    const backend = fakeBackend({ 'GET /api/activity': activity });
    const renderer = renderPanel(backend);
    await eventually(() => expect(screen(renderer)).toContain('HubSpot refused the call'));
    expect(reads(backend)[0]).toEqual({ limit: '25' });

    fire(renderer.findByTestId(Input, 'filter-callId'), 'onChange', 'c-7');
    fire(renderer.findByTestId(Input, 'filter-phone'), 'onChange', '+15551234567');
    fire(renderer.findByTestId(Select, 'filter-level'), 'onChange', 'error');
    fire(renderer.findByTestId(Button, 'apply-filters'), 'onClick');
    await eventually(() =>
      expect(reads(backend).at(-1)).toEqual({
        callId: 'c-7',
        phone: '+15551234567',
        level: 'error',
        limit: '25',
      }),
    );

    await eventually(() => expect(renderer.findByTestId(Button, 'page-older').props.disabled).toBe(false));
    fire(renderer.findByTestId(Button, 'page-older'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Call received'));
    expect(reads(backend).at(-1)).toMatchObject({ cursor: 'cur-2', level: 'error' });
    expect(renderer.findByTestId(Button, 'page-older').props.disabled).toBe(true);
    fire(renderer.findByTestId(Button, 'page-newer'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('HubSpot refused the call'));
    expect(reads(backend).at(-1)).not.toHaveProperty('cursor');
  });

  it("shows a call's steps and retries a failed call", async () => {
    const backend = fakeBackend({
      'GET /api/activity': activity,
      'POST /api/activity/calls/c-9/retry': { queued: true },
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Button, 'open-3'));
    fire(renderer.findByTestId(Button, 'open-3'), 'onClick');
    await eventually(() => renderer.findByTestId(Table, 'call-steps'));
    expect(reads(backend).at(-1)).toEqual({ callId: 'c-9', limit: '100' });
    fire(renderer.findByTestId(Button, 'retry-call'), 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'POST', path: '/api/activity/calls/c-9/retry', query: {}, body: undefined },
      ]),
    );
    fire(renderer.findByTestId(Button, 'close-steps'), 'onClick');
    await eventually(() => renderer.findByTestId(Table, 'activity-table'));
    fire(renderer.findByTestId(Button, 'retry-3'), 'onClick');
    await eventually(() => expect(backend.writes()).toHaveLength(2));
    await eventually(() => expect(screen(renderer)).toContain('is queued again'));
  });

  it('shows why a retry failed', async () => {
    const backend = fakeBackend({
      'GET /api/activity': activity,
      'POST /api/activity/calls/c-9/retry': failWith(
        409,
        'not_failed',
        'This call is not in a failed state.',
      ),
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Button, 'retry-3'));
    fire(renderer.findByTestId(Button, 'retry-3'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('This call is not in a failed state.'));
  });

  it('a non-super-admin sees no retry button', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/activity': activity }), false);
    await eventually(() => renderer.findByTestId(Button, 'open-3'));
    expect(renderer.maybeFind(Button, { testId: 'retry-3' })).toBeNull();
    fire(renderer.findByTestId(Button, 'open-3'), 'onClick');
    await eventually(() => renderer.findByTestId(Table, 'call-steps'));
    expect(renderer.maybeFind(Button, { testId: 'retry-call' })).toBeNull();
  });

  it('retries every failed call with one button and says how many', async () => {
    const backend = fakeBackend({
      'GET /api/activity': activity,
      'POST /api/activity/calls/retry-failed': { retried: 3 },
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Button, 'retry-failed'));
    fire(renderer.findByTestId(Button, 'retry-failed'), 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'POST', path: '/api/activity/calls/retry-failed', query: {}, body: undefined },
      ]),
    );
    await eventually(() => expect(screen(renderer)).toContain('3 failed call(s) are queued again'));
  });

  it('shows why retrying all failed calls did not work, and hides the button from non-admins', async () => {
    const backend = fakeBackend({
      'GET /api/activity': activity,
      'POST /api/activity/calls/retry-failed': failWith(
        403,
        'super_admin_required',
        'Only a super admin can retry.',
      ),
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Button, 'retry-failed'));
    fire(renderer.findByTestId(Button, 'retry-failed'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Only a super admin can retry.'));
    const readOnly = renderPanel(fakeBackend({ 'GET /api/activity': activity }), false);
    await eventually(() => readOnly.findByTestId(Button, 'open-3'));
    expect(readOnly.maybeFind(Button, { testId: 'retry-failed' })).toBeNull();
  });

  it("shows a call's recording-ready and transcript-sent steps with readable labels", async () => {
    const step = (id: number, name: string, message: string) => ({
      ...item(id, 'info', 'c-7', message),
      step: name,
    });
    const recorded = {
      items: [
        step(13, 'transcript_sent', 'Transcript sent to HubSpot call 901 (2 utterances).'),
        step(12, 'recording_ready', 'Recording ready: HubSpot call 901 plays it from Dialer.io.'),
        step(11, 'contact_matched', 'Matched contact 501.'),
      ],
      nextCursor: null,
    };
    const renderer = renderPanel(fakeBackend({ 'GET /api/activity': recorded }));
    await eventually(() => renderer.findByTestId(Button, 'open-12'));
    const log = renderer.findByTestId(Table, 'activity-table').toString();
    expect(log).toContain('Recording ready in HubSpot');
    expect(log).toContain('Transcript sent to HubSpot');
    expect(log).toContain('Contact matched');
    expect(log).not.toMatch(/recording_ready|transcript_sent|contact_matched/);
    fire(renderer.findByTestId(Button, 'open-12'), 'onClick');
    await eventually(() => renderer.findByTestId(Table, 'call-steps'));
    const steps = renderer.findByTestId(Table, 'call-steps').toString();
    // Oldest first: matched, recording ready, transcript sent.
    expect(steps.indexOf('Contact matched')).toBeLessThan(steps.indexOf('Recording ready in HubSpot'));
    expect(steps.indexOf('Recording ready in HubSpot')).toBeLessThan(
      steps.indexOf('Transcript sent to HubSpot'),
    );
  });
});
