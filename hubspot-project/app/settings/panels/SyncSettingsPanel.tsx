import { Flex, Select, Text } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import { DebugBanner, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import type { ContactSyncSettings } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

const DEFAULTS: ContactSyncSettings = {
  creation: 'hubspot_to_dialer',
  createFromHubSpot: 'sent',
  updates: 'both',
};

const CREATION = [
  { label: 'HubSpot → Dialer.io (recommended)', value: 'hubspot_to_dialer' },
  { label: 'Both ways (Dialer.io contacts become non-marketing HubSpot contacts)', value: 'both' },
  { label: 'Off: create no contacts', value: 'off' },
];
const FROM_HUBSPOT = [
  { label: 'Only contacts sent by a workflow action or a pull (default)', value: 'sent' },
  { label: 'Every HubSpot contact with a phone number', value: 'with_phone' },
];
const UPDATES = [
  { label: 'Both ways (default)', value: 'both' },
  { label: 'HubSpot → Dialer.io only', value: 'hubspot_to_dialer' },
];

/** Which side may create contacts, and which may update them. */
export function SyncSettingsPanel({ api, canEdit, debugMode }: PanelProps) {
  const load = useCallback(async () => {
    const result = await api.getSettings();
    return result.status === 'success'
      ? { status: 'success' as const, data: result.data.contactSync ?? DEFAULTS }
      : result;
  }, [api]);
  const { state, reload } = useResource(load);
  const action = useAction();
  const change = (patch: Partial<ContactSyncSettings>) =>
    void action.run(() => api.updateContactSync(patch), reload);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="contact-sync" />
      {action.error ? <ErrorAlert error={action.error} title="Could not change the sync settings" /> : null}
      <LoadableView state={state} label="Loading sync settings" errorTitle="Could not load the sync settings">
        {(settings) => (
          <Flex direction="column" gap="sm">
            <Select
              testId="creation"
              label="Contact creation"
              name="creation"
              value={settings.creation}
              readOnly={!canEdit || action.pending}
              options={CREATION}
              onChange={(value) => change({ creation: value as ContactSyncSettings['creation'] })}
            />
            <Select
              testId="create-from-hubspot"
              label="Which HubSpot contacts become Dialer.io contacts"
              name="createFromHubSpot"
              value={settings.createFromHubSpot}
              readOnly={!canEdit || action.pending || settings.creation === 'off'}
              options={FROM_HUBSPOT}
              onChange={(value) =>
                change({ createFromHubSpot: value as ContactSyncSettings['createFromHubSpot'] })
              }
            />
            <Select
              testId="updates"
              label="Contact updates"
              name="updates"
              value={settings.updates}
              readOnly={!canEdit || action.pending}
              options={UPDATES}
              onChange={(value) => change({ updates: value as ContactSyncSettings['updates'] })}
            />
            <Text variant="microcopy">
              {
                "HubSpot is the source of truth: when both sides change a field, the later change wins, and on a tie HubSpot's. A contact is never duplicated: Dialer.io contacts are matched by link, email, then phone."
              }
              {canEdit ? '' : ' Only a HubSpot super admin can change these settings.'}
            </Text>
          </Flex>
        )}
      </LoadableView>
    </Flex>
  );
}
