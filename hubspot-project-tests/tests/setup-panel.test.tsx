import { Alert, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { DEBUG_BANNER_TITLE } from '@dialer-sync/ui-shared/components';
import { describe, expect, it } from 'vitest';
import { SetupPanel } from '../../hubspot-project/app/settings/panels/SetupPanel.tsx';
import { failWith, fakeBackend, setupConnected, setupDisconnected } from './support/fake-backend.ts';
import { createRenderer, eventually, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>, debugMode = false) {
  const renderer = createRenderer('settings');
  renderer.render(<SetupPanel api={backend.api} canEdit debugMode={debugMode} />);
  return renderer;
}

const nextStep = (renderer: ReturnType<typeof renderPanel>) =>
  renderer.findByTestId(Alert, 'next-step').find(Text).text;

describe('setup checklist', () => {
  it('shows a spinner while loading', async () => {
    const renderer = renderPanel(fakeBackend({}, { pending: ['GET /api/setup'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it('shows each step and says what to do next', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/setup': setupDisconnected }));
    await eventually(() => renderer.findByTestId(Alert, 'next-step'));
    expect(renderer.findByTestId(StatusTag, 'step-hubspot').text).toBe('Done');
    expect(renderer.findByTestId(StatusTag, 'step-dialer').text).toBe('To do');
    expect(nextStep(renderer)).toContain('paste an API token');
  });

  it('points at the agents still unmapped', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/setup': setupConnected }));
    await eventually(() => renderer.findByTestId(Alert, 'next-step'));
    expect(renderer.findByTestId(StatusTag, 'step-events').text).toBe('Done');
    expect(renderer.findByTestId(StatusTag, 'step-agents').text).toBe('To do');
    expect(renderer.findByTestId(StatusTag, 'step-dispositions').text).toBe('Done');
    expect(screen(renderer)).toContain('2 of 3 mapped');
    expect(nextStep(renderer)).toContain('Calls → Agents');
  });

  it('shows a paused portal and why, a refused Dialer.io token and a re-created webhook', async () => {
    const paused = {
      ...setupConnected,
      agents: { mapped: 3, total: 3 },
      dialer: { ...setupConnected.dialer, tokenRejected: true },
      webhook: {
        active: true,
        recreatedAt: '2026-11-30T07:00:00.000Z',
        problem: 'Dialer.io had disabled the webhook',
      },
      callSync: {
        paused: true,
        reason: 'HubSpot is not answering (503).',
        since: '2026-11-30T07:00:00.000Z',
        nextTryAt: '2026-11-30T07:05:00.000Z',
      },
    };
    const renderer = renderPanel(fakeBackend({ 'GET /api/setup': paused }));
    await eventually(() => renderer.findByTestId(Alert, 'next-step'));
    expect(renderer.findByTestId(StatusTag, 'step-call-sync').text).toBe('To do');
    expect(renderer.findByTestId(StatusTag, 'step-dialer-token').text).toBe('To do');
    expect(renderer.findByTestId(StatusTag, 'step-webhook').text).toBe('Done');
    const text = screen(renderer);
    expect(text).toContain('Paused: HubSpot is not answering (503).');
    expect(text).toContain('Dialer.io refuses the stored API token');
    expect(text).toContain('Dialer.io had disabled the webhook');
    expect(nextStep(renderer)).toContain('new API token');
  });

  it('says all set when everything is done', async () => {
    const done = { ...setupConnected, agents: { mapped: 3, total: 3 } };
    const renderer = renderPanel(fakeBackend({ 'GET /api/setup': done }));
    await eventually(() => expect(renderer.findByTestId(Alert, 'next-step').props.title).toBe('All set'));
  });

  it("shows the backend's error message", async () => {
    const renderer = renderPanel(
      fakeBackend({ 'GET /api/setup': failWith(500, 'internal', 'Try again in a minute.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('Try again in a minute.'));
  });

  it('warns while debug mode is on', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/setup': setupConnected }), true);
    await eventually(() => expect(renderer.find(Alert, { title: DEBUG_BANNER_TITLE })).toBeTruthy());
  });
});
