import { Button, Checkbox, Input, LoadingSpinner } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { PrivacyPanel } from '../../hubspot-project/app/settings/panels/PrivacyPanel.tsx';
import { failWith, fakeBackend } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const past = {
  id: 3,
  at: '2026-11-29T10:00:00.000Z',
  source: 'hubspot_privacy_deletion',
  requestedBy: 'HubSpot privacy deletion',
  counts: { calls: 2, webhookPayloads: 5 },
  dialerDeletion: 'deleted',
};

function renderPanel(backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<PrivacyPanel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}

describe('privacy panel', () => {
  it('shows a spinner, then the audit; an empty audit says so', async () => {
    const loading = renderPanel(fakeBackend({}, { pending: ['GET /api/privacy/erasures'] }));
    await eventually(() => expect(loading.find(LoadingSpinner)).toBeTruthy());
    const empty = renderPanel(fakeBackend({ 'GET /api/privacy/erasures': { items: [] } }));
    await eventually(() => expect(screen(empty)).toContain('No erasures yet'));
    const listed = renderPanel(fakeBackend({ 'GET /api/privacy/erasures': { items: [past] } }));
    await eventually(() => expect(screen(listed)).toContain('HubSpot privacy deletion'));
    expect(screen(listed)).toContain('7');
  });

  it('is read-only for users who are not super admins', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/privacy/erasures': { items: [past] } }), false);
    await eventually(() => expect(screen(renderer)).toContain('HubSpot privacy deletion'));
    expect(screen(renderer)).toContain('Only a HubSpot super admin can erase');
    expect(renderer.maybeFind(Button)).toBeNull();
  });

  it('erases only after a person is named and ERASE is typed, then shows the counts', async () => {
    let erased = false;
    const backend = fakeBackend({
      'GET /api/privacy/erasures': () => ({ items: erased ? [past] : [] }),
      'POST /api/privacy/erasures': () => {
        erased = true;
        return { erasureId: 3, counts: { calls: 2, webhookPayloads: 5 }, dialerDeletion: 'deleted' };
      },
    });
    const renderer = renderPanel(backend);
    await eventually(() => expect(screen(renderer)).toContain('No erasures yet'));
    const erase = () => renderer.findByTestId(Button, 'erase');
    expect(erase().props.disabled).toBe(true);
    fire(renderer.findByTestId(Input, 'erasure-phone'), 'onInput', ' +61 2 9374 4000 ');
    fire(renderer.findByTestId(Checkbox, 'erasure-delete-in-dialer'), 'onChange', true);
    expect(erase().props.disabled).toBe(true);
    fire(renderer.findByTestId(Input, 'erasure-confirm'), 'onInput', 'erase');
    expect(erase().props.disabled).toBe(true);
    fire(renderer.findByTestId(Input, 'erasure-confirm'), 'onInput', 'ERASE');
    expect(erase().props.disabled).toBe(false);
    fire(erase(), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('7 record(s) erased or redacted'));
    expect(backend.writes()).toEqual([
      {
        method: 'POST',
        path: '/api/privacy/erasures',
        query: {},
        body: { phone: '+61 2 9374 4000', deleteInDialer: true, confirm: 'ERASE' },
      },
    ]);
    await eventually(() => expect(screen(renderer)).toContain('HubSpot privacy deletion'));
  });

  it("shows the backend's refusal", async () => {
    const backend = fakeBackend({
      'GET /api/privacy/erasures': { items: [] },
      'POST /api/privacy/erasures': failWith(400, 'invalid_phone', 'The phone number is not a valid number.'),
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Input, 'erasure-phone'));
    fire(renderer.findByTestId(Input, 'erasure-phone'), 'onInput', '12');
    fire(renderer.findByTestId(Input, 'erasure-confirm'), 'onInput', 'ERASE');
    fire(renderer.findByTestId(Button, 'erase'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('The phone number is not a valid number.'));
  });
});
