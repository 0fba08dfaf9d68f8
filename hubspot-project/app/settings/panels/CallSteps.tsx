import {
  Button,
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { Api } from '@dialer-sync/ui-shared/api';
import { Empty, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { useResource } from '@dialer-sync/ui-shared/use-resource';
import { LEVEL_TAG } from './levels.ts';
import { stepLabel } from './step-labels.ts';

/** Every step the app took for one call, oldest first, with a retry button when a step failed. */
export function CallSteps({
  api,
  callId,
  canEdit,
  pending,
  onRetry,
  onClose,
}: {
  api: Api;
  callId: string;
  canEdit: boolean;
  pending: boolean;
  onRetry: (callId: string) => void;
  onClose: () => void;
}) {
  const { state } = useResource(() => api.activity({ callId, limit: 100 }), callId);
  const formatTime = useFormatTime();
  return (
    <Flex direction="column" gap="sm">
      <Heading>Steps of call {callId}</Heading>
      <LoadableView
        state={state}
        label="Loading the call's steps"
        errorTitle="Could not load the call's steps"
      >
        {(page) => {
          const steps = [...page.items].reverse();
          const failed = steps.some((step) => step.level === 'error');
          if (steps.length === 0) return <Empty title="No steps">Nothing was logged for this call.</Empty>;
          return (
            <Flex direction="column" gap="sm">
              <Table bordered density="condensed" testId="call-steps">
                <TableHead>
                  <TableRow>
                    <TableHeader>Time</TableHeader>
                    <TableHeader>Level</TableHeader>
                    <TableHeader>Step</TableHeader>
                    <TableHeader>What happened</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {steps.map((step) => (
                    <TableRow key={step.id}>
                      <TableCell>{formatTime(step.createdAt)}</TableCell>
                      <TableCell>
                        <Tag variant={LEVEL_TAG[step.level] ?? 'default'}>{step.level}</Tag>
                      </TableCell>
                      <TableCell>{stepLabel(step.step)}</TableCell>
                      <TableCell>
                        <Text>{step.message}</Text>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {failed && canEdit ? (
                <Button
                  testId="retry-call"
                  variant="primary"
                  disabled={pending}
                  onClick={() => onRetry(callId)}
                >
                  Retry this call
                </Button>
              ) : null}
            </Flex>
          );
        }}
      </LoadableView>
      <Button testId="close-steps" variant="transparent" onClick={onClose}>
        Back to the activity log
      </Button>
    </Flex>
  );
}
