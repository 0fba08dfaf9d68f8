import { Alert, Button, Tabs } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { AgentsPanel } from '../../hubspot-project/app/settings/panels/AgentsPanel.tsx';
import { SECTIONS } from '../../hubspot-project/app/settings/Settings.tsx';
import { failWith, fakeBackend, type Answer } from './support/fake-backend.ts';
import { createRenderer, eventually, fire } from './support/render.ts';
import { openSection, renderSettings } from './support/settings-page.tsx';
import { pageRoutes } from './support/page-routes.ts';

/** Sections that load nothing: they show errors only after a click (their own tests cover that). */
const LOADS_NOTHING = ['debug', 'uninstall'];

/** The page with every read but the session answered by `answer`. */
function failingPage(answer: Answer) {
  const routes = Object.fromEntries(
    Object.keys(pageRoutes).map((route) => [
      route,
      route === 'GET /api/session' ? pageRoutes[route] : answer,
    ]),
  );
  return renderSettings(fakeBackend(routes));
}

/** The error alerts inside the open section (not the page's own, above the tabs). */
const sectionErrors = (renderer: ReturnType<typeof renderSettings>) =>
  renderer
    .findByTestId(Tabs, 'groups')
    .findAll(Alert, { variant: 'error' })
    .map((alert) => alert.toString());

describe('errors the backend answers', () => {
  it("every section shows the backend's message for a known failure", async () => {
    const renderer = failingPage(
      failWith(
        503,
        'hubspot_unavailable',
        'HubSpot is not answering. Dialer Sync tries again by itself; reload in a few minutes.',
      ),
    );
    for (const section of SECTIONS.filter((s) => !LOADS_NOTHING.includes(s.id))) {
      await openSection(renderer, section.id);
      await eventually(() => expect(sectionErrors(renderer).join()).toContain('HubSpot is not answering.'));
    }
  });

  it('an answer HubSpot turned into a bare error still says what to do next', async () => {
    const renderer = failingPage({ status: 502, body: 'Bad Gateway' });
    for (const section of SECTIONS.filter((s) => !LOADS_NOTHING.includes(s.id))) {
      await openSection(renderer, section.id);
      await eventually(() =>
        expect(sectionErrors(renderer).join()).toContain(
          'Dialer Sync could not answer (502). Try again in a minute; if it keeps happening, contact support.',
        ),
      );
    }
  });

  it('a refresh that is already running says when to try again', async () => {
    const backend = fakeBackend({
      'GET /api/agents': { items: [] },
      'GET /api/owners': { items: [] },
      'POST /api/agents/refresh': {
        ...failWith(409, 'refresh_running', 'Agents are being refreshed'),
        headers: { 'Retry-After': '20' },
      },
    });
    const renderer = createRenderer('settings');
    renderer.render(<AgentsPanel api={backend.api} canEdit debugMode={false} />);
    await eventually(() => renderer.findByTestId(Button, 'refresh-agents'));
    fire(renderer.findByTestId(Button, 'refresh-agents'), 'onClick');
    await eventually(() =>
      expect(renderer.find(Alert, { variant: 'error' }).toString()).toContain(
        'Agents are being refreshed. Try again in 20 s.',
      ),
    );
    expect(backend.writes()).toHaveLength(1);
  });
});
