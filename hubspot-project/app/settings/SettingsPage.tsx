import { hubspot } from '@hubspot/ui-extensions';
import { createApi } from '@dialer-sync/ui-shared/api';
import { Settings } from './Settings.tsx';

// Entry point (settings-hsmeta.json): registration only; the page lives in Settings.tsx.
hubspot.extend<'settings'>(({ context }) => <Settings api={createApi()} context={context} />);
