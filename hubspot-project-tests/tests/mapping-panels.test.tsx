import { Button, LoadingSpinner, Select, Tag } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { AgentsPanel } from '../../hubspot-project/app/settings/panels/AgentsPanel.tsx';
import { DispositionsPanel } from '../../hubspot-project/app/settings/panels/DispositionsPanel.tsx';
import { failWith, fakeBackend, type Routes } from './support/fake-backend.ts';
import { createRenderer, eventually, fire, screen } from './support/render.ts';

const agents = {
  items: [
    {
      agentId: 'a1',
      name: 'Ann',
      email: 'ann@acme.test',
      status: 'active',
      ownerId: '101',
      state: 'mapped',
      mappingSource: 'email',
      lastCallAt: null,
    },
    {
      agentId: 'a2',
      name: 'Bob',
      email: null,
      status: 'active',
      ownerId: null,
      state: 'waiting',
      mappingSource: 'none',
      lastCallAt: null,
    },
  ],
};
const owners = {
  items: [
    { id: '101', email: 'ann@acme.test', name: 'Ann Owner' },
    { id: '102', email: 'bob@acme.test', name: null },
  ],
};
const dispositions = {
  items: [
    {
      dispositionId: 'd1',
      name: 'Sale',
      category: 'positive',
      outcomeId: null,
      state: 'waiting',
      mappingSource: 'none',
    },
  ],
};
const outcomes = { items: [{ id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' }] };

const cases = [
  {
    name: 'agents',
    Panel: AgentsPanel,
    routes: { 'GET /api/agents': agents, 'GET /api/owners': owners } as Routes,
    list: 'GET /api/agents',
    row: 'a2',
    pick: '102',
    put: { path: '/api/agents/a2', body: { ownerId: '102' } },
    refresh: '/api/agents/refresh',
  },
  {
    name: 'dispositions',
    Panel: DispositionsPanel,
    routes: { 'GET /api/dispositions': dispositions, 'GET /api/outcomes': outcomes } as Routes,
    list: 'GET /api/dispositions',
    row: 'd1',
    pick: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
    put: { path: '/api/dispositions/d1', body: { outcomeId: 'f240bbac-87c9-4f6e-bf70-924b57d47db7' } },
    refresh: '/api/dispositions/refresh',
  },
];

describe.each(cases)('$name mapping panel', ({ name, Panel, routes, list, row, pick, put, refresh }) => {
  const renderPanel = (backend: ReturnType<typeof fakeBackend>, canEdit = true) => {
    const renderer = createRenderer('settings');
    renderer.render(<Panel api={backend.api} canEdit={canEdit} debugMode={false} />);
    return renderer;
  };

  it('shows a spinner while loading', async () => {
    const renderer = renderPanel(fakeBackend(routes, { pending: [list] }));
    await eventually(() => expect(renderer.find(LoadingSpinner)).toBeTruthy());
  });

  it('lists the rows with their state', async () => {
    const renderer = renderPanel(fakeBackend(routes));
    await eventually(() => expect(renderer.findByTestId(Tag, `state-${name}-${row}`).text).toBe('Waiting'));
    expect(renderer.findByTestId(Select, `map-${name}-${row}`).props.value).toBe('');
  });

  it('shows an empty state when there is nothing to map', async () => {
    const renderer = renderPanel(fakeBackend({ ...routes, [list]: { items: [] } }));
    await eventually(() => expect(screen(renderer)).toContain(`No ${name} yet`));
  });

  it("shows the backend's error message", async () => {
    const renderer = renderPanel(
      fakeBackend({ ...routes, [list]: failWith(502, 'dialer_down', 'Dialer.io did not answer.') }),
    );
    await eventually(() => expect(screen(renderer)).toContain('Dialer.io did not answer.'));
  });

  it('saves a choice and refreshes from Dialer.io', async () => {
    const backend = fakeBackend({
      ...routes,
      [`PUT ${put.path}`]: { ok: true },
      [`POST ${refresh}`]: { ok: true },
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Select, `map-${name}-${row}`));
    fire(renderer.findByTestId(Select, `map-${name}-${row}`), 'onChange', pick);
    await eventually(() => expect(backend.writes()).toHaveLength(1));
    await eventually(() => renderer.findByTestId(Button, `refresh-${name}`));
    fire(renderer.findByTestId(Button, `refresh-${name}`), 'onClick');
    await eventually(() =>
      expect(backend.writes()).toEqual([
        { method: 'PUT', path: put.path, query: {}, body: put.body },
        { method: 'POST', path: refresh, query: {}, body: undefined },
      ]),
    );
  });

  it('shows why a choice was refused', async () => {
    const backend = fakeBackend({
      ...routes,
      [`PUT ${put.path}`]: failWith(409, 'conflict', 'That owner is archived.'),
    });
    const renderer = renderPanel(backend);
    await eventually(() => renderer.findByTestId(Select, `map-${name}-${row}`));
    fire(renderer.findByTestId(Select, `map-${name}-${row}`), 'onChange', pick);
    await eventually(() => expect(screen(renderer)).toContain('That owner is archived.'));
  });

  it('is read-only for a non-super-admin', async () => {
    const renderer = renderPanel(fakeBackend(routes), false);
    await eventually(() => renderer.findByTestId(Select, `map-${name}-${row}`));
    expect(renderer.findByTestId(Select, `map-${name}-${row}`).props.readOnly).toBe(true);
    expect(renderer.findAll(Button)).toEqual([]);
  });
});
