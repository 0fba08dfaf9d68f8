import { Alert, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { Setup } from '@dialer-sync/ui-shared/schemas';
import { DebugBanner, LoadableView, formatTime } from '@dialer-sync/ui-shared/components';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

interface Step {
  id: string;
  label: string;
  done: boolean;
  detail: string;
  next: string;
}

/** The checklist, in the order a customer works through it. */
export function setupSteps(setup: Setup): Step[] {
  const { agents, dispositions } = setup;
  return [
    {
      id: 'hubspot',
      label: 'HubSpot connected',
      done: setup.hubspot.connected,
      detail: setup.hubspot.connected
        ? 'The app is installed in this portal.'
        : 'The installation is not active.',
      next: 'Reinstall Dialer Sync from the HubSpot marketplace.',
    },
    {
      id: 'dialer',
      label: 'Dialer.io connected',
      done: setup.dialer.connected,
      detail: setup.dialer.connected
        ? `Account: ${setup.dialer.accountName ?? 'unnamed'}`
        : 'Not connected yet.',
      next: 'Open the Dialer.io tab and paste an API token from Dialer.io (Settings → API).',
    },
    {
      id: 'webhook',
      label: 'Dialer.io webhook active',
      done: setup.webhook.active,
      detail: setup.webhook.active ? 'Dialer.io sends every finished call here.' : 'No active webhook.',
      next: 'Disconnect and connect Dialer.io again: connecting creates the webhook.',
    },
    {
      id: 'events',
      label: 'Last event received',
      done: setup.lastEventAt !== null,
      detail: setup.lastEventAt ? formatTime(setup.lastEventAt) : 'Nothing received yet.',
      next: 'Make a short test call in Dialer.io: it shows up in the Activity tab within seconds.',
    },
    {
      id: 'agents',
      label: 'Agents mapped to HubSpot owners',
      done: agents.total > 0 && agents.mapped === agents.total,
      detail: `${agents.mapped} of ${agents.total} mapped`,
      next: 'Open the Agents tab and pick a HubSpot owner for each agent without one.',
    },
    {
      id: 'dispositions',
      label: 'Dispositions mapped to call outcomes',
      done: dispositions.total > 0 && dispositions.mapped === dispositions.total,
      detail: `${dispositions.mapped} of ${dispositions.total} mapped`,
      next: 'Open the Dispositions tab and pick a HubSpot call outcome for each disposition.',
    },
  ];
}

export function SetupPanel({ api, debugMode }: PanelProps) {
  const { state } = useResource(api.setup);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="setup" />
      <LoadableView
        state={state}
        label="Loading the setup checklist"
        errorTitle="Could not load the checklist"
      >
        {(setup) => {
          const steps = setupSteps(setup);
          const next = steps.find((step) => !step.done);
          return (
            <Flex direction="column" gap="sm">
              {next ? (
                <Alert title="What to do next" variant="info" testId="next-step">
                  {next.next}
                </Alert>
              ) : (
                <Alert title="All set" variant="success" testId="next-step">
                  Every Dialer.io call is logged in HubSpot.
                </Alert>
              )}
              {steps.map((step) => (
                <Flex key={step.id} direction="row" gap="sm" align="center">
                  <StatusTag variant={step.done ? 'success' : 'warning'} testId={`step-${step.id}`}>
                    {step.done ? 'Done' : 'To do'}
                  </StatusTag>
                  <Text format={{ fontWeight: 'bold' }}>{step.label}</Text>
                  <Text>{step.detail}</Text>
                </Flex>
              ))}
            </Flex>
          );
        }}
      </LoadableView>
    </Flex>
  );
}
