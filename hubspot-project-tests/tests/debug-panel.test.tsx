import { Alert, Toggle } from '@hubspot/ui-extensions';
import { DEBUG_BANNER_TITLE } from '@dialer-sync/ui-shared/components';
import { describe, expect, it, vi } from 'vitest';
import { DebugPanel } from '../../hubspot-project/app/settings/panels/DebugPanel.tsx';
import { failWith, fakeBackend } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>, { canEdit = true, debugMode = false } = {}) {
  const onDebugModeChange = vi.fn();
  const renderer = createRenderer('settings');
  renderer.render(
    <DebugPanel
      api={backend.api}
      canEdit={canEdit}
      debugMode={debugMode}
      onDebugModeChange={onDebugModeChange}
    />,
  );
  return { renderer, onDebugModeChange };
}

describe('debug mode panel', () => {
  it('turns debug mode on with PATCH /api/settings', async () => {
    const backend = fakeBackend({ 'PATCH /api/settings': { debugMode: true } });
    const { renderer, onDebugModeChange } = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Toggle, 'debug-toggle'));
    expect(renderer.maybeFind(Alert, { title: DEBUG_BANNER_TITLE })).toBeNull();
    fire(renderer.findByTestId(Toggle, 'debug-toggle'), 'onChange', true);
    await eventually(() => expect(onDebugModeChange).toHaveBeenCalledWith(true));
    expect(backend.writes()).toEqual([
      { method: 'PATCH', path: '/api/settings', query: {}, body: { debugMode: true } },
    ]);
  });

  it('shows the warning banner while on', async () => {
    const { renderer } = renderPanel(fakeBackend({}), { debugMode: true });
    await eventually(() => expect(renderer.find(Alert, { title: DEBUG_BANNER_TITLE })).toBeTruthy());
    expect(renderer.findByTestId(Toggle, 'debug-toggle').props.checked).toBe(true);
  });

  it("shows the backend's error message", async () => {
    const backend = fakeBackend({
      'PATCH /api/settings': failWith(403, 'forbidden', 'Only a super admin can do this.'),
    });
    const { renderer, onDebugModeChange } = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Toggle, 'debug-toggle'));
    fire(renderer.findByTestId(Toggle, 'debug-toggle'), 'onChange', true);
    await eventually(() => expect(screen(renderer)).toContain('Only a super admin can do this.'));
    expect(onDebugModeChange).not.toHaveBeenCalled();
  });

  it('is read-only for a non-super-admin', async () => {
    const { renderer } = renderPanel(fakeBackend({}), { canEdit: false });
    await eventually(() => expect(renderer.findByTestId(Toggle, 'debug-toggle').props.readOnly).toBe(true));
  });
});
