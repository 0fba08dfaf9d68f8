import { Button, Input, LoadingSpinner, StatusTag } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { ConnectionPanel } from '../../hubspot-project/app/settings/panels/ConnectionPanel.tsx';
import { failWith, fakeBackend, setupConnected, setupDisconnected } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<ConnectionPanel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}

describe('Dialer.io connection panel', () => {
  it('shows a spinner while loading', async () => {
    const renderer = renderPanel(fakeBackend({}, { pending: ['GET /api/setup'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it("shows the backend's error message", async () => {
    const renderer = renderPanel(
      fakeBackend({ 'GET /api/setup': failWith(503, 'dialer_down', 'Dialer.io is down.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('Dialer.io is down.'));
  });

  it('connects with the token typed in, then shows the account', async () => {
    let connected = false;
    const backend = fakeBackend({
      'GET /api/setup': () => (connected ? setupConnected : setupDisconnected),
      'POST /api/dialer/connection': () => {
        connected = true;
        return { connected: true, accountName: 'Acme Calls' };
      },
    });
    const renderer = renderPanel(backend);
    await eventually(() =>
      expect(renderer.findByTestId(StatusTag, 'dialer-status').text).toBe('Not connected'),
    );
    fire(renderer.findByTestId(Input, 'api-token'), 'onInput', ' tok_1234567890 ');
    fire(renderer.findByTestId(Button, 'connect'), 'onClick');
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'dialer-status').text).toBe('Connected'));
    expect(backend.writes()).toEqual([
      { method: 'POST', path: '/api/dialer/connection', query: {}, body: { apiToken: 'tok_1234567890' } },
    ]);
    expect(screen(renderer)).toContain('Acme Calls (US)');
  });

  it('shows why a token was refused', async () => {
    const backend = fakeBackend({
      'GET /api/setup': setupDisconnected,
      'POST /api/dialer/connection': failWith(400, 'invalid_token', 'Dialer.io refused this token.'),
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Input, 'api-token'));
    fire(renderer.findByTestId(Input, 'api-token'), 'onChange', 'bad-token-123');
    fire(renderer.findByTestId(Button, 'connect'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('Dialer.io refused this token.'));
  });

  it('disconnects only after confirmation', async () => {
    const backend = fakeBackend({
      'GET /api/setup': setupConnected,
      'DELETE /api/dialer/connection': { connected: false, disconnected: true },
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Button, 'disconnect'));
    fire(renderer.findByTestId(Button, 'disconnect'), 'onClick');
    await eventually(() => renderer.findByTestId(Button, 'disconnect-cancel'));
    fire(renderer.findByTestId(Button, 'disconnect-cancel'), 'onClick');
    await eventually(() => renderer.findByTestId(Button, 'disconnect'));
    expect(backend.writes()).toEqual([]);

    fire(renderer.findByTestId(Button, 'disconnect'), 'onClick');
    await eventually(() => renderer.findByTestId(Button, 'disconnect-confirm'));
    fire(renderer.findByTestId(Button, 'disconnect-confirm'), 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'DELETE', path: '/api/dialer/connection', query: {}, body: undefined },
      ]),
    );
  });

  it('a non-super-admin sees no connect or disconnect button', async () => {
    for (const setup of [setupConnected, setupDisconnected]) {
      const renderer = renderPanel(fakeBackend({ 'GET /api/setup': setup }), false);
      await eventually(() => renderer.findByTestId(StatusTag, 'dialer-status'));
      expect(renderer.findAll(Button)).toEqual([]);
      expect(renderer.maybeFind(Input)).toBeNull();
    }
  });
});
