import {
  Alert,
  Button,
  Checkbox,
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
import type { ErasureAuditEntry, ErasureResult } from '@dialer-sync/ui-shared/schemas';
import { DebugBanner, Empty, ErrorAlert, LoadableView } from '@dialer-sync/ui-shared/components';
import { useFormatTime } from '@dialer-sync/ui-shared/time';
import { useAction, useResource } from '@dialer-sync/ui-shared/use-resource';
import type { PanelProps } from './types.ts';

const DIALER_DELETION: Record<string, string> = {
  not_requested: 'kept',
  deleted: 'deleted',
  not_found: 'not found',
  not_connected: 'not connected',
  failed: 'failed: delete it in Dialer.io',
};

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** GDPR erasure of one person (super admins) and the audit of past erasures (everyone). */
export function PrivacyPanel({ api, canEdit, debugMode }: PanelProps) {
  const audit = useResource(api.erasures);
  return (
    <Flex direction="column" gap="md">
      <DebugBanner on={debugMode} panel="privacy" />
      <Text>
        {
          "Erase a person's data from Dialer Sync (GDPR Article 17): their calls, stored webhook payloads, Dialer.io links and lookups go, and the activity log keeps the steps without their identifiers. HubSpot's own records are not changed here."
        }
      </Text>
      {canEdit ? (
        <ErasureForm api={api} onErased={audit.reload} />
      ) : (
        <Text variant="microcopy" testId="erasure-read-only">
          {"Only a HubSpot super admin can erase a person's data."}
        </Text>
      )}
      <LoadableView
        state={audit.state}
        label="Loading past erasures"
        errorTitle="Could not load past erasures"
      >
        {({ items }) => <AuditTable items={items} />}
      </LoadableView>
    </Flex>
  );
}

function ErasureForm({ api, onErased }: Pick<PanelProps, 'api'> & { onErased: () => void }) {
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [contactId, setContactId] = useState('');
  const [deleteInDialer, setDeleteInDialer] = useState(false);
  const [confirmation, setConfirmation] = useState('');
  const [result, setResult] = useState<ErasureResult | null>(null);
  const action = useAction();
  const named = [email, phone, contactId].some((value) => value.trim() !== '');
  const erase = () =>
    action.run(
      () =>
        api.erasePerson({
          ...(email.trim() ? { email: email.trim() } : {}),
          ...(phone.trim() ? { phone: phone.trim() } : {}),
          ...(contactId.trim() ? { hubspotContactId: contactId.trim() } : {}),
          deleteInDialer,
        }),
      (erased) => {
        setResult(erased);
        setConfirmation('');
        onErased();
      },
    );
  return (
    <Flex direction="column" gap="sm">
      <Alert title="This cannot be undone" variant="warning">
        Erasure is permanent and applies to this HubSpot portal only. Type ERASE to confirm.
      </Alert>
      {action.error ? <ErrorAlert error={action.error} title="Could not erase" /> : null}
      {result ? (
        <Alert title="Erased" variant="success" testId="erasure-result">
          {`${total(result.counts)} record(s) erased or redacted; Dialer.io contact: ${DIALER_DELETION[result.dialerDeletion] ?? result.dialerDeletion}.`}
        </Alert>
      ) : null}
      <TextField label="Email" testId="erasure-email" value={email} onText={setEmail} />
      <TextField
        label="Phone number"
        testId="erasure-phone"
        description="Any format; numbers without + are read in the Dialer.io account's country."
        value={phone}
        onText={setPhone}
      />
      <TextField
        label="HubSpot contact ID"
        testId="erasure-contact-id"
        value={contactId}
        onText={setContactId}
      />
      <Checkbox
        name="deleteInDialer"
        testId="erasure-delete-in-dialer"
        checked={deleteInDialer}
        onChange={setDeleteInDialer}
      >
        Also delete the contact in Dialer.io
      </Checkbox>
      <TextField
        label="Type ERASE to confirm"
        testId="erasure-confirm"
        value={confirmation}
        onText={setConfirmation}
      />
      <Button
        variant="destructive"
        testId="erase"
        disabled={action.pending || !named || confirmation !== 'ERASE'}
        onClick={() => void erase()}
      >
        {action.pending ? 'Erasing…' : 'Erase this person'}
      </Button>
    </Flex>
  );
}

/** One text input whose every keystroke and change updates `value`. */
function TextField(props: {
  label: string;
  testId: string;
  value: string;
  onText: (text: string) => void;
  description?: string;
}) {
  const { onText, ...rest } = props;
  return <Input {...rest} name={props.testId} onInput={onText} onChange={onText} />;
}

function AuditTable({ items }: { items: ErasureAuditEntry[] }) {
  const formatTime = useFormatTime();
  if (items.length === 0) return <Empty title="No erasures yet">Past erasures are listed here.</Empty>;
  return (
    <Table bordered testId="erasure-audit">
      <TableHead>
        <TableRow>
          <TableHeader>When</TableHeader>
          <TableHeader>Requested by</TableHeader>
          <TableHeader>Records</TableHeader>
          <TableHeader>Dialer.io contact</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.id}>
            <TableCell>{formatTime(item.at)}</TableCell>
            <TableCell>{item.requestedBy}</TableCell>
            <TableCell>{total(item.counts)}</TableCell>
            <TableCell>{DIALER_DELETION[item.dialerDeletion] ?? item.dialerDeletion}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
