import type { InstallationsTable, OauthStatesTable } from '../../installations/installation.table.ts';
import type { HubspotOutcomesTable, HubspotOwnersTable } from '../../mappings/hubspot-directory.table.ts';
import type { RateLimitSlotsTable } from '../../hubspot/rate-limit.table.ts';

/** Every table Kysely knows about. Capability folders own their `*.table.ts`. */
export interface Database {
  installations: InstallationsTable;
  oauth_states: OauthStatesTable;
  rate_limit_slots: RateLimitSlotsTable;
  hubspot_owners: HubspotOwnersTable;
  hubspot_outcomes: HubspotOutcomesTable;
}
