import { LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { HealthPanel } from '../../hubspot-project/app/settings/panels/HealthPanel.tsx';
import { failWith, fakeBackend } from './support/fake-backend.ts';
import { createRenderer, eventually, screen } from './support/render.ts';

function renderPanel(backend: ReturnType<typeof fakeBackend>) {
  const renderer = createRenderer('settings');
  renderer.render(<HealthPanel api={backend.api} canEdit={false} debugMode={false} />);
  return renderer;
}
const health = (requests: number, failed: number) => ({
  hubspot: {
    last24h: {
      requests,
      succeeded: requests - failed,
      failed,
      successRate: requests === 0 ? null : (requests - failed) / requests,
    },
  },
});

describe('API health panel', () => {
  it('shows a spinner while loading', async () => {
    const renderer = renderPanel(fakeBackend({}, { pending: ['GET /api/health'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it('shows the success rate over 24 hours', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/health': health(2000, 3) }));
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'health-status').text).toBe('Healthy'));
    expect(renderer.findByTestId(Text, 'health-rate').text).toContain(
      '99.8% of 2000 requests to HubSpot succeeded in the last 24 hours (3 failed)',
    );
  });

  it('warns below 95% and says what to do', async () => {
    const renderer = renderPanel(fakeBackend({ 'GET /api/health': health(100, 10) }));
    await eventually(() => expect(renderer.findByTestId(StatusTag, 'health-status').text).toBe('Errors'));
    expect(screen(renderer)).toContain('check the Activity tab');
  });

  it('says when there were no requests, and shows errors', async () => {
    const empty = renderPanel(fakeBackend({ 'GET /api/health': health(0, 0) }));
    await eventually(() => expect(empty.findByTestId(Text, 'health-empty')).toBeTruthy());
    const failing = renderPanel(fakeBackend({ 'GET /api/health': failWith(500, 'internal', 'Try again.') }));
    await eventually(() => expect(screen(failing)).toContain('Try again.'));
  });
});
