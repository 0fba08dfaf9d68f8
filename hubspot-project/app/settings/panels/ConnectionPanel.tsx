import { Button, Flex, Input, StatusTag, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ConfirmButton, DebugBanner, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

/** Connect Dialer.io with an API token; disconnect (asks first). Super admins only. */
export function ConnectionPanel({ api, canEdit, debugMode }: PanelProps) {
  const { state, reload } = useResource(api.setup);
  const action = useAction();
  const [token, setToken] = useState('');

  const connect = () =>
    action.run(
      () => api.connectDialer(token.trim()),
      () => {
        setToken('');
        reload();
      },
    );
  const disconnect = () => action.run(api.disconnectDialer, reload);

  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="dialer" />
      {action.error ? <ErrorAlert error={action.error} title="Dialer.io" /> : null}
      <LoadableView
        state={state}
        label="Loading the Dialer.io connection"
        errorTitle="Could not load the connection"
      >
        {({ dialer }) =>
          dialer.connected ? (
            <Flex direction="column" gap="sm">
              <Flex direction="row" gap="sm" align="center">
                <StatusTag variant="success" testId="dialer-status">
                  Connected
                </StatusTag>
                <Text>
                  {dialer.accountName ?? 'Dialer.io account'}
                  {dialer.country ? ` (${dialer.country})` : ''}
                </Text>
              </Flex>
              {canEdit ? (
                <ConfirmButton
                  testId="disconnect"
                  label="Disconnect Dialer.io"
                  question="Disconnect Dialer.io? Calls stop being logged in HubSpot until you connect again."
                  confirmLabel="Yes, disconnect"
                  disabled={action.pending}
                  onConfirm={disconnect}
                />
              ) : (
                <Text variant="microcopy">Only a HubSpot super admin can disconnect Dialer.io.</Text>
              )}
            </Flex>
          ) : (
            <Flex direction="column" gap="sm">
              <StatusTag variant="warning" testId="dialer-status">
                Not connected
              </StatusTag>
              {canEdit ? (
                <>
                  <Input
                    label="Dialer.io API token"
                    name="apiToken"
                    type="password"
                    testId="api-token"
                    description="In Dialer.io: Settings → API → Create token. It is stored encrypted."
                    value={token}
                    onChange={setToken}
                    onInput={setToken}
                  />
                  <Button
                    variant="primary"
                    testId="connect"
                    disabled={action.pending || token.trim() === ''}
                    onClick={connect}
                  >
                    Connect
                  </Button>
                </>
              ) : (
                <Text>Ask a HubSpot super admin to connect Dialer.io.</Text>
              )}
            </Flex>
          )
        }
      </LoadableView>
    </Flex>
  );
}
