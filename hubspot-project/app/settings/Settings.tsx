import { Alert, Flex } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import type { Api } from '@dialer-sync/ui-shared/api';
import { ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { DisplayZoneContext, displayZoneOf, type ZoneContext } from '@dialer-sync/ui-shared/time';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import { SectionTabs } from './SectionTabs.tsx';
import { groupOf } from './sections.tsx';

export { GROUPS, SECTIONS } from './sections.tsx';

/**
 * The whole settings page: who is looking decides what they may change. `context` is the
 * extension's: times show in the portal's zone and the user's locale.
 */
export function Settings({ api, context }: { api: Api; context: ZoneContext }) {
  const session = useResource(api.session);
  const settings = useResource(api.getSettings);
  const [debugOverride, setDebugOverride] = useState<boolean | null>(null);
  const [selected, setSelected] = useState('checklist');
  const [remembered, setRemembered] = useState<Record<string, string>>({});
  const zone = useMemo(() => displayZoneOf(context), [context]);
  const debugMode =
    debugOverride ?? (settings.state.status === 'success' ? settings.state.data.debugMode : false);
  const select = (sectionId: string) => {
    setSelected(sectionId);
    setRemembered((known) => ({ ...known, [groupOf(sectionId).id]: sectionId }));
  };

  return (
    <DisplayZoneContext.Provider value={zone}>
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
            <SectionTabs
              selected={selected}
              remembered={remembered}
              onSelect={select}
              renderSection={(section) =>
                section.render({
                  api,
                  canEdit: superAdmin,
                  debugMode,
                  onDebugModeChange: setDebugOverride,
                  onNavigate: select,
                })
              }
            />
          </Flex>
        )}
      </LoadableView>
    </DisplayZoneContext.Provider>
  );
}
