import { Alert, Button, LoadingSpinner, Select, Tab, Tabs, Toggle } from '@hubspot/ui-extensions';
import { DEBUG_BANNER_TITLE } from '@dialer-sync/ui-shared/components';
import { describe, expect, it } from 'vitest';
import { GROUPS, SECTIONS } from '../../hubspot-project/app/settings/Settings.tsx';
import { failWith, fakeBackend, setupDisconnected, userSession } from './support/fake-backend.ts';
import { pageRoutes } from './support/page-routes.ts';
import { eventually, fire, screen } from './support/render.ts';
import { openSection, renderSettings, selectedSection } from './support/settings-page.tsx';

describe('settings page', () => {
  it('shows a spinner while the session loads', async () => {
    const renderer = renderSettings(fakeBackend(pageRoutes, { pending: ['GET /api/session'] }));
    await eventually(() => expect(renderer.find(LoadingSpinner).props.label).toBe('Loading Dialer Sync'));
  });

  it("shows the backend's error when the session fails", async () => {
    const renderer = renderSettings(
      fakeBackend({ 'GET /api/session': failWith(401, 'not_installed', 'Install Dialer Sync first.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('Install Dialer Sync first.'));
  });

  it('groups the sections as an admin thinks: Setup, Calls, Contacts, Activity, Advanced', async () => {
    const renderer = renderSettings(fakeBackend(pageRoutes));
    await eventually(() => renderer.findByTestId(Tabs, 'groups'));
    const groups = renderer.findByTestId(Tabs, 'groups');
    expect(groups.findAll(Tab).map((tab) => tab.props.title)).toEqual(
      expect.arrayContaining(['Setup', 'Calls', 'Contacts', 'Activity', 'Advanced']),
    );
    expect(Object.fromEntries(GROUPS.map((g) => [g.id, g.sections.map((s) => s.id)]))).toEqual({
      setup: ['checklist', 'dialer'],
      calls: ['agents', 'dispositions', 'missed-calls', 'recordings', 'unmatched'],
      contacts: ['contact-sync', 'property-mapping', 'sync-operations'],
      activity: ['activity'],
      advanced: ['debug', 'health', 'privacy', 'uninstall'],
    });
    expect(selectedSection(renderer)).toBe('checklist');
    expect(renderer.maybeFind(Alert, { testId: 'read-only' })).toBeNull();
    await openSection(renderer, 'missed-calls');
    await eventually(() => renderer.findByTestId(Toggle, 'missed-calls-enabled'));
    await openSection(renderer, 'health');
    await openSection(renderer, 'agents');
    fire(renderer.findByTestId(Tabs, 'groups'), 'onSelectedChange', 'advanced');
    await eventually(() => expect(selectedSection(renderer)).toBe('health'));
  });

  it('loads only what the open section shows: at most 6 requests at once, each resource once', async () => {
    const backend = fakeBackend(pageRoutes);
    const renderer = renderSettings(backend);
    await eventually(() => expect(screen(renderer)).toContain('What to do next'));
    expect(backend.countByRoute()).toEqual({
      'GET /api/session': 1,
      'GET /api/settings': 1,
      'GET /api/setup': 1,
    });
    for (const section of SECTIONS) await openSection(renderer, section.id);
    await eventually(() => expect(backend.countByRoute()['GET /api/privacy/erasures']).toBe(1));
    expect(backend.maxConcurrent()).toBeLessThanOrEqual(6);
    const counts = backend.countByRoute();
    expect(Object.keys(counts).sort()).toEqual(
      Object.keys(pageRoutes)
        .filter((route) => route.startsWith('GET'))
        .sort(),
    );
    expect(Object.entries(counts).filter(([, n]) => n > 1)).toEqual([]);
  });

  it('asks again after a save: a change of the sync settings is read back, not served from memory', async () => {
    const backend = fakeBackend({
      ...pageRoutes,
      'PATCH /api/settings': {
        ...pageRoutes['GET /api/settings'],
        contactSync: { ...pageRoutes['GET /api/settings'].contactSync, updates: 'hubspot_to_dialer' },
      },
    });
    const renderer = renderSettings(backend);
    await openSection(renderer, 'contact-sync');
    await eventually(() => renderer.findByTestId(Select, 'updates'));
    fire(renderer.findByTestId(Select, 'updates'), 'onChange', 'hubspot_to_dialer');
    await eventually(() => expect(backend.countByRoute()['GET /api/settings']).toBe(2));
    expect(backend.writes()).toHaveLength(1);
  });

  it('the checklist links each step to the section where it is done', async () => {
    const renderer = renderSettings(fakeBackend({ ...pageRoutes, 'GET /api/setup': setupDisconnected }));
    await eventually(() => renderer.findByTestId(Button, 'next-step-open'));
    fire(renderer.findByTestId(Button, 'next-step-open'), 'onClick');
    await eventually(() => expect(selectedSection(renderer)).toBe('dialer'));
    await eventually(() => expect(screen(renderer)).toContain('Dialer.io API token'));
    for (const [step, section] of [
      ['agents', 'agents'],
      ['dispositions', 'dispositions'],
      ['events', 'activity'],
      ['webhook', 'dialer'],
    ]) {
      await openSection(renderer, 'checklist');
      await eventually(() => renderer.findByTestId(Button, `open-${step}`));
      fire(renderer.findByTestId(Button, `open-${step}`), 'onClick');
      await eventually(() => expect(selectedSection(renderer)).toBe(section));
    }
  });

  it('puts the debug warning on every section once debug mode is on', async () => {
    const renderer = renderSettings(fakeBackend(pageRoutes));
    await openSection(renderer, 'debug');
    await eventually(() => renderer.findByTestId(Toggle, 'debug-toggle'));
    expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(0);
    fire(renderer.findByTestId(Toggle, 'debug-toggle'), 'onChange', true);
    for (const section of SECTIONS) {
      await openSection(renderer, section.id);
      await eventually(() => expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(1));
    }
  });

  it('shows the banner on load when the backend says debug mode is on', async () => {
    const renderer = renderSettings(fakeBackend({ ...pageRoutes, 'GET /api/settings': { debugMode: true } }));
    await eventually(() => expect(renderer.findAll(Alert, { title: DEBUG_BANNER_TITLE })).toHaveLength(1));
  });

  it('a non-super-admin reads: no destructive or editing buttons in any section', async () => {
    const renderer = renderSettings(fakeBackend({ ...pageRoutes, 'GET /api/session': userSession }));
    await eventually(() => renderer.findByTestId(Alert, 'read-only'));
    for (const section of SECTIONS) {
      await openSection(renderer, section.id);
      await eventually(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
      const buttons = renderer.findAll(Button).map((button) => String(button.props.testId));
      expect(
        buttons.filter((id) => /disconnect|connect|refresh|retry|erase|uninstall|start|save/.test(id)),
      ).toEqual([]);
    }
    await openSection(renderer, 'debug');
    expect(renderer.findByTestId(Toggle, 'debug-toggle').props.readOnly).toBe(true);
  });
});
