import { Alert, Button, Flex, Input, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { DebugBanner, ErrorAlert } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { useAction } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

const CONFIRM_WORD = 'UNINSTALL';

/** "Disconnect and uninstall": super admins only, after typing UNINSTALL. */
export function UninstallPanel({ api, canEdit, debugMode }: PanelProps) {
  const action = useAction();
  const [typed, setTyped] = useState('');
  const [purgeAfter, setPurgeAfter] = useState<string | null>(null);
  const formatTime = useFormatTime();

  if (purgeAfter) {
    return (
      <Alert title="Dialer Sync is uninstalled" variant="success" testId="uninstalled">
        Dialer.io is disconnected and Dialer Sync no longer has access to this HubSpot account. Your Dialer
        Sync data is deleted on {formatTime(purgeAfter)}; install Dialer Sync again from the HubSpot
        Marketplace before then to keep it. Calls already logged stay in HubSpot.
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="uninstall" />
      <Text format={{ fontWeight: 'bold' }}>Disconnect and uninstall</Text>
      <Text>
        Disconnects Dialer.io (its webhook is deleted, calls stop being logged), uninstalls Dialer Sync from
        this HubSpot account and deletes its access. Your Dialer Sync data (mappings, call history, activity
        log) is kept for 30 days, then deleted; install again before then to keep it. Calls already logged
        stay in HubSpot.
      </Text>
      {action.error ? <ErrorAlert error={action.error} title="Could not uninstall" /> : null}
      {canEdit ? (
        <Flex direction="column" gap="sm">
          <Input
            label={`Type ${CONFIRM_WORD} to confirm`}
            name="confirm"
            testId="uninstall-confirm-word"
            value={typed}
            onChange={setTyped}
            onInput={setTyped}
          />
          <Button
            variant="destructive"
            testId="uninstall"
            disabled={action.pending || typed.trim() !== CONFIRM_WORD}
            onClick={() =>
              action.run(
                () => api.uninstall(typed.trim()),
                (done) => setPurgeAfter(done.purgeAfter),
              )
            }
          >
            Disconnect and uninstall
          </Button>
        </Flex>
      ) : (
        <Text variant="microcopy" testId="uninstall-read-only">
          Only a HubSpot super admin can uninstall Dialer Sync.
        </Text>
      )}
    </Flex>
  );
}
