import { Alert, Flex, Tab, Tabs } from '@hubspot/ui-extensions';
import { useState, type ReactNode } from 'react';
import type { Api } from '@dialer-sync/ui-shared/api';
import { ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import { ActivityPanel } from './panels/ActivityPanel.tsx';
import { AgentsPanel } from './panels/AgentsPanel.tsx';
import { ConnectionPanel } from './panels/ConnectionPanel.tsx';
import { DebugPanel } from './panels/DebugPanel.tsx';
import { DispositionsPanel } from './panels/DispositionsPanel.tsx';
import { MissedCallsPanel } from './panels/MissedCallsPanel.tsx';
import { PrivacyPanel } from './panels/PrivacyPanel.tsx';
import { HealthPanel } from './panels/HealthPanel.tsx';
import { PropertyMappingPanel } from './panels/PropertyMappingPanel.tsx';
import { SetupPanel } from './panels/SetupPanel.tsx';
import { SyncOperationsPanel } from './panels/SyncOperationsPanel.tsx';
import { SyncSettingsPanel } from './panels/SyncSettingsPanel.tsx';
import { UnmatchedCallsPanel } from './panels/UnmatchedCallsPanel.tsx';
import type { PanelProps } from './panels/types.ts';
import { UninstallPanel } from './panels/UninstallPanel.tsx';

interface PanelEntry {
  id: string;
  title: string;
  render: (props: PanelProps & { onDebugModeChange: (on: boolean) => void }) => ReactNode;
}

/** The settings page's tabs, in order. Later capabilities (contact sync, privacy) add theirs here. */
export const PANELS: PanelEntry[] = [
  { id: 'setup', title: 'Setup', render: (props) => <SetupPanel {...props} /> },
  { id: 'dialer', title: 'Dialer.io', render: (props) => <ConnectionPanel {...props} /> },
  { id: 'agents', title: 'Agents', render: (props) => <AgentsPanel {...props} /> },
  { id: 'dispositions', title: 'Dispositions', render: (props) => <DispositionsPanel {...props} /> },
  { id: 'missed-calls', title: 'Missed calls', render: (props) => <MissedCallsPanel {...props} /> },
  { id: 'unmatched', title: 'Unmatched calls', render: (props) => <UnmatchedCallsPanel {...props} /> },
  { id: 'contact-sync', title: 'Contact sync', render: (props) => <SyncSettingsPanel {...props} /> },
  {
    id: 'property-mapping',
    title: 'Property mapping',
    render: (props) => <PropertyMappingPanel {...props} />,
  },
  { id: 'sync-operations', title: 'Pull & push', render: (props) => <SyncOperationsPanel {...props} /> },
  { id: 'activity', title: 'Activity', render: (props) => <ActivityPanel {...props} /> },
  { id: 'debug', title: 'Debug mode', render: (props) => <DebugPanel {...props} /> },
  { id: 'privacy', title: 'Privacy', render: (props) => <PrivacyPanel {...props} /> },
  { id: 'health', title: 'Health', render: (props) => <HealthPanel {...props} /> },
  { id: 'uninstall', title: 'Uninstall', render: (props) => <UninstallPanel {...props} /> },
];

/** The whole settings page: who is looking decides what they may change. */
export function Settings({ api }: { api: Api }) {
  const session = useResource(api.session);
  const settings = useResource(api.getSettings);
  const [debugOverride, setDebugOverride] = useState<boolean | null>(null);
  const debugMode =
    debugOverride ?? (settings.state.status === 'success' ? settings.state.data.debugMode : false);

  return (
    <LoadableView state={session.state} label="Loading Dialer Sync" errorTitle="Could not open Dialer Sync">
      {({ superAdmin }) => (
        <Flex direction="column" gap="md">
          {settings.state.status === 'error' ? (
            <ErrorAlert error={settings.state.error} title="Could not load the settings" />
          ) : null}
          {superAdmin ? null : (
            <Alert title="Read-only" variant="info" testId="read-only">
              Only a HubSpot super admin can connect Dialer.io, change mappings or settings, retry calls and
              erase personal data.
            </Alert>
          )}
          <Tabs defaultSelected="setup">
            {PANELS.map((panel) => (
              <Tab key={panel.id} tabId={panel.id} title={panel.title}>
                {panel.render({ api, canEdit: superAdmin, debugMode, onDebugModeChange: setDebugOverride })}
              </Tab>
            ))}
          </Tabs>
        </Flex>
      )}
    </LoadableView>
  );
}
