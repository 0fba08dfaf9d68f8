import { Alert, Button, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { Setup } from '@dialer-sync/ui-shared/schemas';
import { DebugBanner, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

interface Step {
  id: string;
  label: string;
  done: boolean;
  detail: string;
  next: string;
  /** The section of the page where the step is done, and its link's label. */
  section?: { id: string; label: string };
}

const DIALER = { id: 'dialer', label: 'Open Setup → Dialer.io connection' };
const ACTIVITY = { id: 'activity', label: 'Open Activity' };

type FormatTime = (iso: string | null | undefined) => string;

/** The checklist, in the order a customer works through it. */
export function setupSteps(setup: Setup, formatTime: FormatTime): Step[] {
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
      next: 'Open Setup → Dialer.io connection and paste an API token from Dialer.io (Settings → API).',
      section: DIALER,
    },
    {
      id: 'dialer-token',
      label: 'Dialer.io accepts the API token',
      done: !(setup.dialer.connected && setup.dialer.tokenRejected),
      detail:
        setup.dialer.connected && setup.dialer.tokenRejected
          ? 'Dialer.io refuses the stored API token. Calls still reach HubSpot; lists and mappings stop refreshing.'
          : 'Yes.',
      next: 'Create a new API token in Dialer.io and connect again in Setup → Dialer.io connection.',
      section: DIALER,
    },
    {
      id: 'webhook',
      label: 'Dialer.io webhook active',
      done: setup.webhook.active,
      detail: webhookDetail(setup, formatTime),
      next: 'Dialer Sync re-creates a disabled webhook every 15 minutes by itself; if this stays, connect Dialer.io again.',
      section: DIALER,
    },
    {
      id: 'call-sync',
      label: 'Calls are being logged',
      done: !setup.callSync?.paused,
      detail: setup.callSync?.paused
        ? `Paused: ${setup.callSync.reason ?? 'unknown reason'}${setup.callSync.nextTryAt ? ` Next try ${formatTime(setup.callSync.nextTryAt)}.` : ''}`
        : 'Running.',
      next: 'Nothing is lost while paused: calls wait and are written when the cause clears. Dialer Sync retries by itself.',
      section: ACTIVITY,
    },
    {
      id: 'events',
      label: 'Last event received',
      done: setup.lastEventAt !== null,
      detail: setup.lastEventAt ? formatTime(setup.lastEventAt) : 'Nothing received yet.',
      next: 'Make a short test call in Dialer.io: it shows up in the Activity tab within seconds.',
      section: ACTIVITY,
    },
    {
      id: 'agents',
      label: 'Agents mapped to HubSpot owners',
      done: agents.total > 0 && agents.mapped === agents.total,
      detail: `${agents.mapped} of ${agents.total} mapped`,
      next: 'Open Calls → Agents and pick a HubSpot owner for each agent without one.',
      section: { id: 'agents', label: 'Open Calls → Agents' },
    },
    {
      id: 'dispositions',
      label: 'Dispositions mapped to call outcomes',
      done: dispositions.total > 0 && dispositions.mapped === dispositions.total,
      detail: `${dispositions.mapped} of ${dispositions.total} mapped`,
      next: 'Open Calls → Dispositions and pick a HubSpot call outcome for each disposition.',
      section: { id: 'dispositions', label: 'Open Calls → Dispositions' },
    },
  ];
}

function webhookDetail(setup: Setup, formatTime: FormatTime): string {
  const recreated = setup.webhook.recreatedAt
    ? ` Re-created ${formatTime(setup.webhook.recreatedAt)}${setup.webhook.problem ? ` (${setup.webhook.problem})` : ''}.`
    : '';
  return (
    (setup.webhook.active ? 'Dialer.io sends every finished call here.' : 'No active webhook.') + recreated
  );
}

/** The checklist; each step links to the section where it is done (`onNavigate`). */
export function SetupPanel({ api, debugMode, onNavigate }: PanelProps) {
  const { state } = useResource(api.setup);
  const formatTime = useFormatTime();
  const link = (step: Step, testId: string) =>
    step.section && onNavigate ? (
      <Button size="xs" variant="transparent" testId={testId} onClick={() => onNavigate(step.section!.id)}>
        {step.section.label}
      </Button>
    ) : null;
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="setup" />
      <LoadableView
        state={state}
        label="Loading the setup checklist"
        errorTitle="Could not load the checklist"
      >
        {(setup) => {
          const steps = setupSteps(setup, formatTime);
          const next = steps.find((step) => !step.done);
          return (
            <Flex direction="column" gap="sm">
              {next ? (
                <Alert title="What to do next" variant="info" testId="next-step">
                  <Flex direction="column" gap="xs">
                    <Text>{next.next}</Text>
                    {link(next, 'next-step-open')}
                  </Flex>
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
                  {link(step, `open-${step.id}`)}
                </Flex>
              ))}
            </Flex>
          );
        }}
      </LoadableView>
    </Flex>
  );
}
