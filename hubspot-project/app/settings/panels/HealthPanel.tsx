import { Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import { DebugBanner, LoadableView } from '@dialer-sync/ui-shared/components';
import type { Health } from '@dialer-sync/ui-shared/schemas';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

const percent = (rate: number) => `${(Math.floor(rate * 1000) / 10).toFixed(1)}%`;

/** How this portal's HubSpot API requests went over the last 24 hours. */
export function HealthPanel({ api, debugMode }: PanelProps) {
  const { state } = useResource(api.health);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="health" />
      <LoadableView state={state} label="Loading the API health" errorTitle="Could not load the API health">
        {(health) => <HubSpotHealth last24h={health.hubspot.last24h} />}
      </LoadableView>
    </Flex>
  );
}

function HubSpotHealth({ last24h }: { last24h: Health['hubspot']['last24h'] }) {
  if (last24h.successRate === null)
    return <Text testId="health-empty">No requests to HubSpot in the last 24 hours.</Text>;
  const healthy = last24h.successRate >= 0.95;
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <StatusTag variant={healthy ? 'success' : 'warning'} testId="health-status">
          {healthy ? 'Healthy' : 'Errors'}
        </StatusTag>
        <Text testId="health-rate">
          {percent(last24h.successRate)} of {last24h.requests} requests to HubSpot succeeded in the last 24
          hours ({last24h.failed} failed).
        </Text>
      </Flex>
      {healthy ? null : (
        <Text variant="microcopy">
          Failed requests are retried by themselves. If this stays below 95%, check the Activity tab for the
          errors and contact support.
        </Text>
      )}
    </Flex>
  );
}
