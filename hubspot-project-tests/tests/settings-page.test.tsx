import { Alert, Button, LoadingSpinner, Tab, Toggle } from '@hubspot/ui-extensions';
import { DEBUG_BANNER_TITLE } from '@dialer-sync/ui-shared/components';
import { describe, expect, it } from 'vitest';
import { PANELS, Settings } from '../../hubspot-project/app/settings/Settings.tsx';
import { adminSession, failWith, fakeBackend, setupConnected, userSession } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const activity = {
  items: [
    {
      id: 1,
      callId: 'c-1',
      contactId: null,
      level: 'error',
      step: 'x',
      message: 'failed',
      details: null,
      createdAt: '2026-11-20T09:30:00.000Z',
    },
  ],
  nextCursor: null,
};
const routes = {
  'GET /api/session': adminSession,
  'GET /api/settings': { debugMode: false },
  'GET /api/setup': setupConnected,
  'GET /api/agents': { items: [] },
  'GET /api/owners': { items: [] },
  'GET /api/dispositions': { items: [] },
  'GET /api/outcomes': { items: [] },
  'GET /api/activity': activity,
  'PATCH /api/settings': { debugMode: true },
};

function renderPage(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('settings');
  renderer.render(<Settings api={backend.api} />);
  return renderer;
}

describe('settings page', () => {
  it('shows a spinner while the session loads', async () => {
    const renderer = renderPage(fakeBackend(routes, { pending: ['GET /api/session'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner).props.label).toBe('Loading Dialer Sync'));
  });

  it("shows the backend's error when the session fails", async () => {
    const renderer = renderPage(
      fakeBackend({ 'GET /api/session': failWith(401, 'not_installed', 'Install Dialer Sync first.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('Install Dialer Sync first.'));
  });

  it('shows every panel as a tab', async () => {
    const renderer = renderPage(fakeBackend(routes));
    await eventually(() =>
      expect(renderer.findAll(Tab).map((tab) => tab.props.tabId)).toEqual(PANELS.map((p) => p.id)),
    );
    expect(renderer.maybeFind(Alert, { testId: 'read-only' })).toBeNull();
  });

  it('puts the debug warning on every panel once debug mode is on', async () => {
    const renderer = renderPage(fakeBackend(routes));
    await eventually(() => renderer.findByTestId(Toggle, 'debug-toggle'));
    expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(0);
    fire(renderer.findByTestId(Toggle, 'debug-toggle'), 'onChange', true);
    await eventually(() =>
      expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(PANELS.length),
    );
  });

  it('shows the banner on load when the backend says debug mode is on', async () => {
    const renderer = renderPage(fakeBackend({ ...routes, 'GET /api/settings': { debugMode: true } }));
    await eventually(() =>
      expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(PANELS.length),
    );
  });

  it('a non-super-admin reads: no destructive or editing buttons anywhere', async () => {
    const renderer = renderPage(fakeBackend({ ...routes, 'GET /api/session': userSession }));
    await eventually(() => renderer.findByTestId(Alert, 'read-only'));
    await eventually(() => expect(screen(renderer)).toContain('failed'));
    const buttons = renderer.findAll(Button).map((button) => button.props.testId);
    expect(buttons.filter((id) => /disconnect|connect|refresh|retry/.test(String(id)))).toEqual([]);
    expect(renderer.findByTestId(Toggle, 'debug-toggle').props.readOnly).toBe(true);
  });
});
