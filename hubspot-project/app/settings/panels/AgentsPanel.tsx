import { useCallback } from 'react';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { MappingTable, loadBoth } from './MappingTable.tsx';
import type { PanelProps } from './types.ts';

/** Dialer.io agents → HubSpot owners (calls are assigned to the mapped owner). */
export function AgentsPanel({ api, canEdit, debugMode }: PanelProps) {
  const formatTime = useFormatTime();
  const load = useCallback(
    () =>
      loadBoth(api.agents(), api.owners(), (agents, owners) => ({
        rows: agents.items.map((agent) => ({
          id: agent.agentId,
          cells: [agent.name, agent.email ?? '—', formatTime(agent.lastCallAt)],
          value: agent.ownerId,
          state: agent.state,
        })),
        options: owners.items.map((owner) => ({
          label: owner.name
            ? `${owner.name}${owner.email ? ` (${owner.email})` : ''}`
            : (owner.email ?? owner.id),
          value: owner.id,
        })),
      })),
    [api, formatTime],
  );
  return (
    <MappingTable
      kind="agents"
      headers={['Agent', 'Email', 'Last call']}
      selectLabel="HubSpot owner"
      emptyText="Connect Dialer.io, then refresh: its agents appear here and are matched to owners by email."
      load={load}
      save={api.mapAgent}
      refresh={api.refreshAgents}
      canEdit={canEdit}
      debugMode={debugMode}
    />
  );
}
