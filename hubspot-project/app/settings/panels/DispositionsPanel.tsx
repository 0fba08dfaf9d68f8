import { useCallback } from 'react';
import { MappingTable, loadBoth } from './MappingTable.tsx';
import type { PanelProps } from './types.ts';

/** Dialer.io dispositions → HubSpot call outcomes. */
export function DispositionsPanel({ api, canEdit, debugMode }: PanelProps) {
  const load = useCallback(
    () =>
      loadBoth(api.dispositions(), api.outcomes(), (dispositions, outcomes) => ({
        rows: dispositions.items.map((disposition) => ({
          id: disposition.dispositionId,
          cells: [disposition.name, disposition.category ?? '—'],
          value: disposition.outcomeId,
          state: disposition.state,
        })),
        options: outcomes.items.map((outcome) => ({ label: outcome.label, value: outcome.id })),
      })),
    [api],
  );
  return (
    <MappingTable
      kind="dispositions"
      headers={['Disposition', 'Category']}
      selectLabel="HubSpot call outcome"
      emptyText="Connect Dialer.io, then refresh: its dispositions appear here with suggested outcomes."
      load={load}
      save={api.mapDisposition}
      refresh={api.refreshDispositions}
      canEdit={canEdit}
      debugMode={debugMode}
    />
  );
}
