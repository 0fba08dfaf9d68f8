import { Toggle } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { RecordingsPanel } from '../../hubspot-project/app/settings/panels/RecordingsPanel.tsx';
import { failWith, fakeBackend } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>, canEdit = true) {
  const renderer = createRenderer('settings');
  renderer.render(<RecordingsPanel api={backend.api} canEdit={canEdit} debugMode={false} />);
  return renderer;
}

const toggle = (renderer: ReturnType<typeof createRenderer>) =>
  renderer.findByTestId(Toggle, 'send-transcripts-toggle');

describe('recordings panel', () => {
  it('shows the transcripts switch off, and turns it on with PATCH /api/settings', async () => {
    const backend = fakeBackend({
      'GET /api/settings': { debugMode: false, sendTranscripts: false },
      'PATCH /api/settings': { debugMode: false, sendTranscripts: true },
    });
    const renderer = renderPanel(backend);
    await eventually(() => expect(toggle(renderer).props.checked).toBe(false));
    expect(screen(renderer)).toContain('never copied or stored');
    fire(toggle(renderer), 'onChange', true);
    await eventually(() => expect(toggle(renderer).props.checked).toBe(true));
    expect(backend.writes()).toEqual([
      { method: 'PATCH', path: '/api/settings', query: {}, body: { sendTranscripts: true } },
    ]);
  });

  it("stays off and shows the backend's message when the change is refused", async () => {
    const backend = fakeBackend({
      'GET /api/settings': { debugMode: false, sendTranscripts: false },
      'PATCH /api/settings': failWith(403, 'forbidden', 'Only a super admin can do this.'),
    });
    const renderer = renderPanel(backend);
    await eventually(() => toggle(renderer));
    fire(toggle(renderer), 'onChange', true);
    await eventually(() => expect(screen(renderer)).toContain('Only a super admin can do this.'));
    expect(toggle(renderer).props.checked).toBe(false);
  });

  it('is read-only for a non-super-admin', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/settings': { debugMode: false } }), false);
    await eventually(() => expect(toggle(renderer).props.readOnly).toBe(true));
    expect(toggle(renderer).props.checked).toBe(false);
  });
});
