import { Flex, Text, Toggle } from '@hubspot/ui-extensions';
import { DebugBanner, ErrorAlert } from '@dialer-sync/ui-shared/components';
import { useAction } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

/** Debug mode: calls are processed and logged but not written to HubSpot. */
export function DebugPanel({
  api,
  canEdit,
  debugMode,
  onDebugModeChange,
}: PanelProps & { onDebugModeChange: (on: boolean) => void }) {
  const action = useAction();
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="debug" />
      {action.error ? <ErrorAlert error={action.error} title="Could not change debug mode" /> : null}
      <Toggle
        label="Debug mode"
        name="debugMode"
        testId="debug-toggle"
        checked={debugMode}
        readOnly={!canEdit || action.pending}
        textChecked="On"
        textUnchecked="Off"
        onChange={(checked) =>
          void action.run(
            () => api.updateSettings(checked),
            (settings) => onDebugModeChange(settings.debugMode),
          )
        }
      />
      <Text variant="microcopy">
        While debug mode is on, each call’s steps are logged in the Activity tab in detail and nothing is
        written to HubSpot. Turn it off to log calls again.
        {canEdit ? '' : ' Only a HubSpot super admin can change it.'}
      </Text>
    </Flex>
  );
}
