import { Flex, Text, Toggle } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { DebugBanner, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

/** Recordings play in HubSpot from Dialer.io; Dialer.io's transcripts go to HubSpot when switched on. */
export function RecordingsPanel({ api, canEdit, debugMode }: PanelProps) {
  const { state } = useResource(api.getSettings);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="recordings" />
      <Text>
        Call recordings play on the contact’s timeline in HubSpot, straight from Dialer.io: the audio is never
        copied or stored by Dialer Sync. HubSpot transcribes them itself for users with a paid Sales or
        Service seat.
      </Text>
      <LoadableView state={state} label="Loading recording settings" errorTitle="Could not load the settings">
        {(settings) => (
          <TranscriptsToggle api={api} canEdit={canEdit} initial={settings.sendTranscripts ?? false} />
        )}
      </LoadableView>
    </Flex>
  );
}

function TranscriptsToggle({
  api,
  canEdit,
  initial,
}: Pick<PanelProps, 'api' | 'canEdit'> & { initial: boolean }) {
  const [on, setOn] = useState(initial);
  const action = useAction();
  return (
    <Flex direction="column" gap="sm">
      {action.error ? <ErrorAlert error={action.error} title="Could not change the setting" /> : null}
      <Toggle
        label="Send Dialer.io transcripts to HubSpot"
        name="sendTranscripts"
        testId="send-transcripts-toggle"
        checked={on}
        readOnly={!canEdit || action.pending}
        textChecked="On"
        textUnchecked="Off"
        onChange={(checked) =>
          void action.run(
            () => api.updateSendTranscripts(checked),
            (settings) => setOn(settings.sendTranscripts ?? false),
          )
        }
      />
      <Text variant="microcopy">
        For portals without paid seats, or to keep Dialer.io’s own transcripts: each call’s transcript is
        added to the call in HubSpot once, with the agent and the contact named.
        {canEdit ? '' : ' Only a HubSpot super admin can change it.'}
      </Text>
    </Flex>
  );
}
