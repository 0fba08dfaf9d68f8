import {
  Button,
  Flex,
  Input,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import { DebugBanner, Empty, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import type { ContactHit, UnmatchedCall } from '@dialer-sync/ui-shared/schemas';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

/** Recent calls logged without a contact: link each to a contact found by search, or create one. */
export function UnmatchedCallsPanel({ api, debugMode }: PanelProps) {
  const { state, reload } = useResource(api.unmatchedCalls);
  const [linking, setLinking] = useState<UnmatchedCall | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const formatTime = useFormatTime();
  const done = (message: string) => {
    setNotice(message);
    setLinking(null);
    reload();
  };
  const create = (call: UnmatchedCall) =>
    void action.run(
      () => api.linkCallContact(call.callId, { create: true }),
      () => done(`Created a contact for ${call.number ?? 'the caller'} and associated the call.`),
    );

  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="unmatched" />
      {action.error ? <ErrorAlert error={action.error} title="Could not associate the call" /> : null}
      {notice ? <Text testId="unmatched-notice">{notice}</Text> : null}
      {linking ? (
        <ContactPicker
          api={api}
          call={linking}
          pending={action.pending}
          onCancel={() => setLinking(null)}
          onPick={(hit) =>
            void action.run(
              () => api.linkCallContact(linking.callId, { contactId: hit.id }),
              () => done(`Associated the call with ${hit.name ?? hit.email ?? hit.id}.`),
            )
          }
        />
      ) : null}
      <LoadableView state={state} label="Loading unmatched calls" errorTitle="Could not load unmatched calls">
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="Every call has a contact">
              Calls from numbers no HubSpot contact has appear here. They are matched by themselves when such
              a contact appears; you can also link or create one here.
            </Empty>
          ) : (
            <Table bordered>
              <TableHead>
                <TableRow>
                  {['Started', 'Direction', 'Number', 'Agent', ''].map((h) => (
                    <TableHeader key={h}>{h}</TableHeader>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((call) => (
                  <TableRow key={call.callId}>
                    <TableCell>{formatTime(call.startedAt)}</TableCell>
                    <TableCell>{`${call.direction} (${call.status})`}</TableCell>
                    <TableCell>{call.number ?? '—'}</TableCell>
                    <TableCell>{call.agent ?? '—'}</TableCell>
                    <TableCell>
                      <Flex direction="row" gap="xs">
                        <Button
                          size="xs"
                          testId={`link-${call.callId}`}
                          disabled={action.pending}
                          onClick={() => setLinking(call)}
                        >
                          Link to contact
                        </Button>
                        <Button
                          size="xs"
                          variant="secondary"
                          testId={`create-${call.callId}`}
                          disabled={action.pending || !call.number}
                          onClick={() => create(call)}
                        >
                          Create contact
                        </Button>
                      </Flex>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </LoadableView>
      <Text variant="microcopy">A HubSpot super admin or the call&apos;s owner can link or create.</Text>
    </Flex>
  );
}

function ContactPicker({
  api,
  call,
  pending,
  onPick,
  onCancel,
}: {
  api: PanelProps['api'];
  call: UnmatchedCall;
  pending: boolean;
  onPick: (hit: ContactHit) => void;
  onCancel: () => void;
}) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  return (
    <Flex direction="column" gap="sm">
      <Text
        format={{ fontWeight: 'bold' }}
      >{`Link the call from ${call.number ?? 'an unknown number'}`}</Text>
      <Flex direction="row" gap="sm" align="end">
        <Input label="Name, email or number" name="q" testId="contact-search" value={q} onChange={setQ} />
        <Button testId="contact-search-go" disabled={q.trim().length < 2} onClick={() => setQuery(q.trim())}>
          Search
        </Button>
        <Button variant="secondary" testId="contact-search-cancel" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
      {query === null ? null : <SearchResults api={api} query={query} pending={pending} onPick={onPick} />}
    </Flex>
  );
}

function SearchResults({
  api,
  query,
  pending,
  onPick,
}: {
  api: PanelProps['api'];
  query: string;
  pending: boolean;
  onPick: (hit: ContactHit) => void;
}) {
  const { state } = useResource(() => api.searchContacts(query), query);
  return (
    <LoadableView state={state} label="Searching HubSpot contacts" errorTitle="Search failed">
      {({ items }) =>
        items.length === 0 ? (
          <Text testId="contact-search-empty">
            No HubSpot contact matches. Try another spelling, or create one.
          </Text>
        ) : (
          <Flex direction="column" gap="xs">
            {items.map((hit) => (
              <Button
                key={hit.id}
                variant="secondary"
                testId={`pick-${hit.id}`}
                disabled={pending}
                onClick={() => onPick(hit)}
              >
                {[hit.name, hit.email, hit.phone].filter(Boolean).join(' · ') || `Contact ${hit.id}`}
              </Button>
            ))}
          </Flex>
        )
      }
    </LoadableView>
  );
}
