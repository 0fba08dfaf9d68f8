import {
  Alert,
  Button,
  Flex,
  Heading,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';
import type { Api } from '@dialer-sync/ui-shared/api';
import { ConfirmButton, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import type { ContactStatus } from '@dialer-sync/ui-shared/schemas';
import {
  DisplayZoneContext,
  displayZoneOf,
  useFormatTime,
  type ZoneContext,
} from '@dialer-sync/ui-shared/time';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';

/**
 * The contact card: this contact in Dialer.io, its lists, the last calls logged, and two actions.
 * `context` is the extension's: times show in the portal's zone and the user's locale.
 */
export function DialerCardView({
  api,
  contactId,
  context,
}: {
  api: Api;
  contactId: string;
  context: ZoneContext;
}) {
  const zone = useMemo(() => displayZoneOf(context), [context]);
  return (
    <DisplayZoneContext.Provider value={zone}>
      <ContactCard api={api} contactId={contactId} />
    </DisplayZoneContext.Provider>
  );
}

function ContactCard({ api, contactId }: { api: Api; contactId: string }) {
  const session = useResource(api.session);
  const status = useResource(() => api.contactStatus(contactId), contactId);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const superAdmin = session.state.status === 'success' && session.state.data.superAdmin;

  const done = (message: string) => () => {
    setNotice(message);
    status.reload();
  };

  return (
    <Flex direction="column" gap="md">
      {action.error ? <ErrorAlert error={action.error} title="Dialer.io" /> : null}
      {notice ? <Text testId="notice">{notice}</Text> : null}
      <LoadableView
        state={status.state}
        label="Loading Dialer.io status"
        errorTitle="Could not load Dialer.io status"
      >
        {(data) => <ContactDetails status={data} />}
      </LoadableView>
      <Flex direction="row" gap="sm">
        <Button
          testId="sync-now"
          variant="primary"
          disabled={action.pending}
          onClick={() =>
            void action.run(
              () => api.syncContact(contactId),
              done('Sync to Dialer.io requested. Refresh in a minute.'),
            )
          }
        >
          Sync to Dialer.io now
        </Button>
        {superAdmin ? (
          <ConfirmButton
            testId="remove-from-lists"
            label="Remove from all Dialer lists"
            question="Remove this contact from every Dialer.io list? Agents will no longer be offered this contact."
            confirmLabel="Yes, remove"
            disabled={action.pending}
            onConfirm={() =>
              void action.run(
                () => api.removeContactFromLists(contactId),
                done('Removed from all Dialer.io lists.'),
              )
            }
          />
        ) : null}
      </Flex>
    </Flex>
  );
}

function ContactDetails({ status }: { status: ContactStatus }) {
  const { dialer, lists, calls, lastError } = status;
  const formatTime = useFormatTime();
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <StatusTag variant={dialer.linked ? 'success' : 'default'} testId="linked">
          {dialer.linked ? 'In Dialer.io' : 'Not in Dialer.io'}
        </StatusTag>
        {dialer.doNotCall ? (
          <StatusTag variant="danger" testId="dnc">
            Do Not Call
          </StatusTag>
        ) : null}
        {dialer.lineType ? <Text>Line type: {dialer.lineType}</Text> : null}
      </Flex>
      {lastError ? (
        <Alert title="Last sync error" variant="error" testId="last-error">
          {lastError.message}
          {lastError.at ? ` (${formatTime(lastError.at)})` : ''}
        </Alert>
      ) : null}
      <Heading>Dialer lists</Heading>
      {lists.length === 0 ? (
        <Text testId="no-lists">Not in any Dialer.io list.</Text>
      ) : (
        <Table bordered density="condensed" testId="lists">
          <TableHead>
            <TableRow>
              <TableHeader>List</TableHeader>
              <TableHeader>Added</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {lists.map((list) => (
              <TableRow key={list.listId}>
                <TableCell>{list.name}</TableCell>
                <TableCell>{formatTime(list.addedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Heading>Last calls</Heading>
      {calls.length === 0 ? (
        <Text testId="no-calls">No calls logged by Dialer Sync yet.</Text>
      ) : (
        <Table bordered density="condensed" testId="calls">
          <TableHead>
            <TableRow>
              {['Time', 'Direction', 'Outcome', 'Owner', 'Sync', 'Media'].map((header) => (
                <TableHeader key={header}>{header}</TableHeader>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {calls.map((call) => (
              <TableRow key={call.callId}>
                <TableCell>{formatTime(call.startedAt)}</TableCell>
                <TableCell>{call.direction ?? '—'}</TableCell>
                <TableCell>{call.outcome ?? '—'}</TableCell>
                <TableCell>{call.owner ?? '—'}</TableCell>
                <TableCell>{call.syncState}</TableCell>
                <TableCell>
                  <CallMedia call={call} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

/** "Recording": plays on the call in HubSpot; "Transcript": Dialer.io's transcript was sent to HubSpot. */
function CallMedia({ call }: { call: ContactStatus['calls'][number] }) {
  if (!call.hasRecording && !call.transcriptSent) return <Text>—</Text>;
  return (
    <Flex direction="row" gap="xs">
      {call.hasRecording ? (
        <StatusTag variant="info" testId={`recording-${call.callId}`}>
          Recording
        </StatusTag>
      ) : null}
      {call.transcriptSent ? (
        <StatusTag variant="info" testId={`transcript-${call.callId}`}>
          Transcript
        </StatusTag>
      ) : null}
    </Flex>
  );
}
