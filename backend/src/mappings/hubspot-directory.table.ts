import type { ColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** HubSpot owners of a portal, as last read (`/crm/owners`). */
export interface HubspotOwnersTable {
  installation_id: string;
  owner_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  user_id: number | null;
  archived: boolean;
  updated_at: Timestamp;
}

/** HubSpot call outcomes of a portal, as last read (`/calling/v1/dispositions`). */
export interface HubspotOutcomesTable {
  installation_id: string;
  outcome_id: string;
  label: string;
  deleted: boolean;
  updated_at: Timestamp;
}

export type HubspotOwner = Selectable<HubspotOwnersTable>;
export type HubspotOutcome = Selectable<HubspotOutcomesTable>;

/** Who is refreshing a portal's mappings now (`refresh.ts`), until when. */
export interface MappingRefreshLeasesTable {
  installation_id: string;
  holder: string;
  expires_at: Timestamp;
}
