import {
  Button,
  Flex,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ActivityItem } from '@dialer-sync/ui-shared/schemas';
import { DebugBanner, Empty, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import { CallSteps } from './CallSteps.tsx';
import { LEVELS, LEVEL_TAG } from './levels.ts';
import { stepLabel } from './step-labels.ts';
import type { PanelProps } from './types.ts';

export const PAGE_SIZE = 25;
interface Filters {
  callId: string;
  phone: string;
  level: string;
}
const NO_FILTERS: Filters = { callId: '', phone: '', level: '' };

/** The activity log: filters, newest first, page by page; a call's steps; retry for a failed call. */
export function ActivityPanel({ api, canEdit, debugMode }: PanelProps) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** Cursors of the pages before the current one; the last is the current page's cursor. */
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selectedCall, setSelectedCall] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const { state, reload } = useResource(
    () => api.activity({ ...filters, cursor, limit: PAGE_SIZE }),
    JSON.stringify([filters, cursor]),
  );
  const action = useAction();

  const retryAll = () =>
    void action.run(
      () => api.retryFailedCalls(),
      (answer) => {
        setNotice(
          answer.retried === 0
            ? 'No call is failed: nothing to retry.'
            : `${answer.retried} failed call(s) are queued again. Their new steps appear below in a few seconds.`,
        );
        reload();
      },
    );

  const retry = (callId: string) =>
    void action.run(
      () => api.retryCall(callId),
      () => {
        setNotice(`Call ${callId} is queued again. Its new steps appear below in a few seconds.`);
        reload();
      },
    );

  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="activity" />
      {action.error ? <ErrorAlert error={action.error} title="Could not retry the call" /> : null}
      {notice ? <Text testId="notice">{notice}</Text> : null}
      {selectedCall ? (
        <CallSteps
          api={api}
          callId={selectedCall}
          canEdit={canEdit}
          pending={action.pending}
          onRetry={retry}
          onClose={() => setSelectedCall(null)}
        />
      ) : (
        <>
          {canEdit ? (
            <Flex direction="row" gap="sm">
              <Button testId="retry-failed" disabled={action.pending} onClick={retryAll}>
                Retry all failed calls
              </Button>
            </Flex>
          ) : null}
          <Flex direction="row" gap="sm" align="end">
            <Input
              label="Call id"
              name="callId"
              testId="filter-callId"
              value={draft.callId}
              onChange={(callId) => setDraft({ ...draft, callId })}
            />
            <Input
              label="Phone number"
              name="phone"
              testId="filter-phone"
              value={draft.phone}
              onChange={(phone) => setDraft({ ...draft, phone })}
            />
            <Select
              label="Level"
              name="level"
              testId="filter-level"
              value={draft.level}
              options={[
                { label: 'All levels', value: '' },
                ...LEVELS.map((level) => ({ label: level, value: level })),
              ]}
              onChange={(level) => setDraft({ ...draft, level: String(level) })}
            />
            <Button
              testId="apply-filters"
              onClick={() => {
                setFilters(draft);
                setCursors([null]);
              }}
            >
              Apply filters
            </Button>
          </Flex>
          <LoadableView
            state={state}
            label="Loading the activity log"
            errorTitle="Could not load the activity log"
          >
            {(page) => (
              <Flex direction="column" gap="sm">
                {page.items.length === 0 ? (
                  <Empty title="No activity">
                    Nothing matches these filters yet. Calls appear here seconds after they end in Dialer.io.
                  </Empty>
                ) : (
                  <ActivityTable
                    items={page.items}
                    canEdit={canEdit}
                    onOpen={setSelectedCall}
                    onRetry={retry}
                  />
                )}
                <Flex direction="row" gap="sm">
                  <Button
                    testId="page-newer"
                    disabled={cursors.length <= 1}
                    onClick={() => setCursors(cursors.slice(0, -1))}
                  >
                    Newer
                  </Button>
                  <Button
                    testId="page-older"
                    disabled={!page.nextCursor}
                    onClick={() => setCursors([...cursors, page.nextCursor])}
                  >
                    Older
                  </Button>
                </Flex>
              </Flex>
            )}
          </LoadableView>
        </>
      )}
    </Flex>
  );
}

function ActivityTable(props: {
  items: ActivityItem[];
  canEdit: boolean;
  onOpen: (callId: string) => void;
  onRetry: (callId: string) => void;
}) {
  const formatTime = useFormatTime();
  return (
    <Table bordered density="condensed" testId="activity-table">
      <TableHead>
        <TableRow>
          <TableHeader>Time</TableHeader>
          <TableHeader>Level</TableHeader>
          <TableHeader>Step</TableHeader>
          <TableHeader>What happened</TableHeader>
          <TableHeader>Call</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map((item) => (
          <TableRow key={item.id}>
            <TableCell>{formatTime(item.createdAt)}</TableCell>
            <TableCell>
              <Tag variant={LEVEL_TAG[item.level] ?? 'default'}>{item.level}</Tag>
            </TableCell>
            <TableCell>{stepLabel(item.step)}</TableCell>
            <TableCell>
              <Text>{item.message}</Text>
            </TableCell>
            <TableCell>
              {item.callId ? (
                <Flex direction="row" gap="xs">
                  <Button
                    size="sm"
                    variant="transparent"
                    testId={`open-${item.id}`}
                    onClick={() => props.onOpen(item.callId!)}
                  >
                    Steps
                  </Button>
                  {item.level === 'error' && props.canEdit ? (
                    <Button size="sm" testId={`retry-${item.id}`} onClick={() => props.onRetry(item.callId!)}>
                      Retry
                    </Button>
                  ) : null}
                </Flex>
              ) : (
                '—'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
