import { Button, Flex, NumberInput, Select, Text, Toggle } from '@hubspot/ui-extensions';
import { useCallback, useState } from 'react';
import { DebugBanner, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import type { MissedCalls, Owner } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import { loadBoth } from './MappingTable.tsx';
import type { PanelProps } from './types.ts';

const DEFAULTS: MissedCalls = { enabled: true, dueMinutes: 60, fallbackOwnerId: null };

const ownerLabel = (owner: Owner) =>
  owner.name ? `${owner.name}${owner.email ? ` (${owner.email})` : ''}` : (owner.email ?? owner.id);

/** Missed-call tasks: on or off, how soon they are due, and the fallback owner ("top manager"). */
export function MissedCallsPanel({ api, canEdit, debugMode }: PanelProps) {
  const load = useCallback(
    () =>
      loadBoth(api.getSettings(), api.owners(), (settings, owners) => ({
        settings: settings.missedCalls ?? DEFAULTS,
        owners: owners.items,
      })),
    [api],
  );
  const { state } = useResource(load);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="missed-calls" />
      <LoadableView
        state={state}
        label="Loading missed-call settings"
        errorTitle="Could not load the settings"
      >
        {({ settings, owners }) => (
          <MissedCallsForm api={api} canEdit={canEdit} initial={settings} owners={owners} />
        )}
      </LoadableView>
    </Flex>
  );
}

function MissedCallsForm({
  api,
  canEdit,
  initial,
  owners,
}: Pick<PanelProps, 'api' | 'canEdit'> & { initial: MissedCalls; owners: Owner[] }) {
  const [draft, setDraft] = useState<MissedCalls>(initial);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const readOnly = !canEdit || action.pending;
  const save = () =>
    void action.run(
      () => api.updateMissedCalls(draft),
      (settings) => {
        if (settings.missedCalls) setDraft(settings.missedCalls);
        setSaved(true);
      },
    );
  return (
    <Flex direction="column" gap="sm">
      {action.error ? (
        <ErrorAlert error={action.error} title="Could not save the missed-call settings" />
      ) : null}
      {saved ? <Text testId="missed-calls-saved">Saved.</Text> : null}
      <Toggle
        label="Create a task for each missed call"
        name="enabled"
        testId="missed-calls-enabled"
        checked={draft.enabled}
        readOnly={readOnly}
        onChange={(enabled) => setDraft({ ...draft, enabled })}
      />
      <NumberInput
        label="Due after (minutes)"
        name="dueMinutes"
        testId="missed-calls-due"
        value={draft.dueMinutes}
        min={0}
        readOnly={readOnly}
        onChange={(dueMinutes) => setDraft({ ...draft, dueMinutes: Number(dueMinutes) || 0 })}
      />
      <Select
        label="Fallback owner"
        name="fallbackOwnerId"
        testId="missed-calls-fallback"
        description="Gets the tasks for unknown numbers and for agents not mapped to an owner, and those of contacts with no owner when the call's agent has none either."
        value={draft.fallbackOwnerId ?? ''}
        readOnly={readOnly}
        options={[
          { label: 'No fallback owner (tasks stay unassigned)', value: '' },
          ...owners.map((owner) => ({ label: ownerLabel(owner), value: owner.id })),
        ]}
        onChange={(value) => setDraft({ ...draft, fallbackOwnerId: value ? String(value) : null })}
      />
      {canEdit ? (
        <Button testId="missed-calls-save" disabled={action.pending} onClick={save}>
          Save
        </Button>
      ) : (
        <Text variant="microcopy">Only a HubSpot super admin can change these settings.</Text>
      )}
      <Text variant="microcopy">
        A missed inbound call (or a voicemail left by the caller) becomes a HubSpot call task for the
        contact&apos;s owner. More misses from the same number update that task until it is completed or the
        number is answered.
      </Text>
    </Flex>
  );
}
