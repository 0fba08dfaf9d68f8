import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@dialer-sync/ui-shared/api';
import { DialerCardView } from './DialerCardView.tsx';

// Entry point (dialer-card-hsmeta.json): registration only; the card lives in DialerCardView.tsx.
hubspot.extend<'crm.record.tab'>(({ context }) => (
  <DialerCardView api={createApi()} contactId={String(context.crm.objectId)} context={context} />
));
