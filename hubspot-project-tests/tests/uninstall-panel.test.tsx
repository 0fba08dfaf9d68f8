import { Alert, Button, Input, Text } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { UninstallPanel } from '../../hubspot-project/app/settings/panels/UninstallPanel.tsx';
import { failWith, fakeBackend } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<UninstallPanel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}
const uninstalled = { uninstalled: true, purgeAfter: '2026-12-30T10:00:00.000Z' };

describe('Disconnect and uninstall panel', () => {
  it('uninstalls only after UNINSTALL is typed, then says when the data is deleted', async () => {
    const backend = fakeBackend({ 'DELETE /api/installation': uninstalled });
    const renderer = renderPanel(backend);
    const button = () => renderer.findByTestId(Button, 'uninstall');
    expect(button().props.disabled).toBe(true);
    fire(renderer.findByTestId(Input, 'uninstall-confirm-word'), 'onInput', 'uninstall');
    expect(button().props.disabled).toBe(true);
    fire(renderer.findByTestId(Input, 'uninstall-confirm-word'), 'onInput', 'UNINSTALL');
    expect(button().props.disabled).toBe(false);
    fire(button(), 'onClick');
    await eventually(() => expect(renderer.findByTestId(Alert, 'uninstalled')).toBeTruthy());
    expect(backend.writes()).toEqual([
      { method: 'DELETE', path: '/api/installation', query: {}, body: { confirm: 'UNINSTALL' } },
    ]);
    expect(screen(renderer)).toContain('12/30/2026');
  });

  it("shows the backend's message when the uninstall fails", async () => {
    const backend = fakeBackend({
      'DELETE /api/installation': failWith(
        502,
        'hubspot_unavailable',
        'HubSpot did not confirm the uninstall.',
      ),
    });
    const renderer = renderPanel(backend);
    fire(renderer.findByTestId(Input, 'uninstall-confirm-word'), 'onInput', 'UNINSTALL');
    fire(renderer.findByTestId(Button, 'uninstall'), 'onClick');
    await eventually(() => expect(screen(renderer)).toContain('HubSpot did not confirm the uninstall.'));
    expect(renderer.findByTestId(Button, 'uninstall')).toBeTruthy();
  });

  it('is read-only for users who are not super admins', () => {
    const backend = fakeBackend({});
    const renderer = renderPanel(backend, false);
    expect(renderer.findByTestId(Text, 'uninstall-read-only').text).toContain('Only a HubSpot super admin');
    expect(() => renderer.findByTestId(Button, 'uninstall')).toThrow();
  });
});
