import type { Api } from '@dialer-sync/ui-shared/api';

/** What every settings panel receives from the page. */
export interface PanelProps {
  api: Api;
  /** HubSpot super admin: may connect, disconnect, map, retry and change settings. Others read. */
  canEdit: boolean;
  debugMode: boolean;
  /** Opens another section of the page (a `SECTIONS` id), e.g. from the setup checklist. */
  onNavigate?: (sectionId: string) => void;
}
