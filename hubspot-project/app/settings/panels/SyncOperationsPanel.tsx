import { Button, Flex, ProgressBar, Text } from '@hubspot/ui-extensions';
import { useEffect } from 'react';
import { DebugBanner, Empty, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import type { OperationKind, SyncOperation } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

const TITLE: Record<OperationKind, string> = {
  pull_contacts: 'Pull contacts (HubSpot → Dialer.io)',
  push_contacts: 'Push contacts (Dialer.io → HubSpot)',
};
const POLL_MS = 3000;
const RESUME: Record<OperationKind, string> = { pull_contacts: 'Resume pull', push_contacts: 'Resume push' };
const active = (op: SyncOperation) => op.status === 'queued' || op.status === 'running';

/**
 * The start button's label: the backend resumes the last run of a kind when it failed (from where
 * it stopped), so the button says so. Operations come newest first.
 */
function startLabel(kind: OperationKind, operations: SyncOperation[]): string {
  const last = operations.find((op) => op.kind === kind);
  if (last?.status !== 'failed') return TITLE[kind];
  const of = last.total === null ? '' : ` of ${last.total}`;
  return `${RESUME[kind]} (stopped at ${last.done + last.failed}${of})`;
}

/** One-time pull and push with a progress bar, cancel, and when each last ran. */
export function SyncOperationsPanel({
  api,
  canEdit,
  debugMode,
  pollMs = POLL_MS,
}: PanelProps & { pollMs?: number }) {
  const { state, reload } = useResource(api.syncOperations);
  const action = useAction();
  const formatTime = useFormatTime();
  const running = state.status === 'success' && state.data.operations.some(active);
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(reload, pollMs);
    return () => clearTimeout(timer);
  }, [running, state, reload, pollMs]);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="sync-operations" />
      {action.error ? <ErrorAlert error={action.error} title="Could not start or cancel" /> : null}
      <LoadableView
        state={state}
        label="Loading sync operations"
        errorTitle="Could not load the sync operations"
      >
        {({ operations, lastRuns }) => (
          <Flex direction="column" gap="md">
            <Text testId="last-runs">
              Last pull contacts: {formatTime(lastRuns.pull_contacts)} · Last push contacts:{' '}
              {formatTime(lastRuns.push_contacts)} · Owners and call outcomes refreshed:{' '}
              {formatTime(lastRuns.mappingsRefresh)}
            </Text>
            {canEdit ? (
              <Flex direction="row" gap="sm">
                {(['pull_contacts', 'push_contacts'] as const).map((kind) => (
                  <Button
                    key={kind}
                    testId={`start-${kind}`}
                    disabled={action.pending || operations.some((op) => op.kind === kind && active(op))}
                    onClick={() => void action.run(() => api.startSyncOperation(kind), reload)}
                  >
                    {startLabel(kind, operations)}
                  </Button>
                ))}
              </Flex>
            ) : (
              <Text variant="microcopy">Only a HubSpot super admin can start a pull or a push.</Text>
            )}
            {operations.length === 0 ? (
              <Empty title="No pull or push yet">
                {
                  "A pull sends HubSpot contacts with a phone number to Dialer.io; a push writes Dialer.io's values of linked contacts into HubSpot."
                }
              </Empty>
            ) : (
              operations.map((op) => (
                <Flex key={op.id} direction="column" gap="xs">
                  <ProgressBar
                    testId={`progress-${op.id}`}
                    title={`${TITLE[op.kind]}: ${op.status}`}
                    value={op.done + op.failed}
                    maxValue={Math.max(op.total ?? 0, op.done + op.failed, 1)}
                    showPercentage
                    valueDescription={`${op.done} done, ${op.failed} failed of ${op.total ?? '…'}`}
                    variant={op.status === 'failed' ? 'danger' : op.failed > 0 ? 'warning' : 'success'}
                  />
                  {op.lastError ? <Text variant="microcopy">{op.lastError}</Text> : null}
                  {canEdit && active(op) ? (
                    <Button
                      testId={`cancel-${op.id}`}
                      variant="secondary"
                      size="xs"
                      disabled={action.pending}
                      onClick={() => void action.run(() => api.cancelSyncOperation(op.id), reload)}
                    >
                      Cancel
                    </Button>
                  ) : null}
                </Flex>
              ))
            )}
          </Flex>
        )}
      </LoadableView>
    </Flex>
  );
}
