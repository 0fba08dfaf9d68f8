import type { HubspotRequestStatsTable } from '../../api-health/api-health.table.ts';
import type { InstallationsTable, OauthStatesTable } from '../../installations/installation.table.ts';
import type {
  HubspotOutcomesTable,
  HubspotOwnersTable,
  MappingRefreshLeasesTable,
} from '../../mappings/hubspot-directory.table.ts';
import type { ActivityLogTable } from '../../activity/activity.table.ts';
import type {
  CallSyncPortalsTable,
  CallsTable,
  ContactCacheTable,
  PhoneLookupsTable,
  WebhookInboxTable,
} from '../../call-logging/call-logging.table.ts';
import type {
  DialerAgentsTable,
  DialerConnectionsTable,
  DialerDispositionsTable,
  DialerListsTable,
} from '../../dialer-connection/dialer-connection.table.ts';
import type { HubspotWebhookInboxTable } from '../../hubspot-webhooks/hubspot-webhooks.table.ts';
import type {
  CallFollowUpsTable,
  FollowUpTaskCallsTable,
  UnknownCallerContactsTable,
  ContactRollupsTable,
  FollowUpPortalsTable,
  FollowUpTasksTable,
  MissedCallSettingsTable,
} from '../../call-follow-up/call-follow-up.table.ts';
import type { PrivacyErasuresTable } from '../../privacy/privacy.table.ts';
import type {
  ContactSyncCreatesTable,
  ContactSyncInboxTable,
  ContactSyncWritesTable,
  ContactSyncLinksTable,
  ContactSyncSettingsTable,
  ContactSyncValuesTable,
  PropertyMappingsTable,
  SyncOperationsTable,
} from '../../contact-sync/contact-sync.table.ts';
import type { ContactSyncSweepsTable } from '../../contact-sync/sweep.table.ts';
import type { InstallationSettingsTable } from '../../settings/settings.table.ts';
import type { CallMediaTable, RecordingRegistrationsTable } from '../../recordings/recordings.table.ts';
import type { RateLimitSlotsTable } from '../../hubspot/rate-limit.table.ts';
import type {
  ContactLinksTable,
  WorkflowExecutionsTable,
} from '../../workflow-actions/workflow-actions.table.ts';

/** Every table Kysely knows about. Capability folders own their `*.table.ts`. */
export interface Database {
  installations: InstallationsTable;
  oauth_states: OauthStatesTable;
  rate_limit_slots: RateLimitSlotsTable;
  hubspot_owners: HubspotOwnersTable;
  hubspot_outcomes: HubspotOutcomesTable;
  mapping_refresh_leases: MappingRefreshLeasesTable;
  dialer_connections: DialerConnectionsTable;
  installation_settings: InstallationSettingsTable;
  dialer_agents: DialerAgentsTable;
  dialer_dispositions: DialerDispositionsTable;
  dialer_lists: DialerListsTable;
  webhook_inbox: WebhookInboxTable;
  calls: CallsTable;
  call_sync_portals: CallSyncPortalsTable;
  phone_lookups: PhoneLookupsTable;
  contact_cache: ContactCacheTable;
  activity_log: ActivityLogTable;
  workflow_executions: WorkflowExecutionsTable;
  contact_links: ContactLinksTable;
  hubspot_webhook_inbox: HubspotWebhookInboxTable;
  missed_call_settings: MissedCallSettingsTable;
  follow_up_portals: FollowUpPortalsTable;
  call_follow_ups: CallFollowUpsTable;
  contact_rollups: ContactRollupsTable;
  follow_up_tasks: FollowUpTasksTable;
  follow_up_task_calls: FollowUpTaskCallsTable;
  unknown_caller_contacts: UnknownCallerContactsTable;
  privacy_erasures: PrivacyErasuresTable;
  hubspot_request_stats: HubspotRequestStatsTable;
  contact_sync_settings: ContactSyncSettingsTable;
  property_mappings: PropertyMappingsTable;
  contact_sync_links: ContactSyncLinksTable;
  contact_sync_values: ContactSyncValuesTable;
  contact_sync_inbox: ContactSyncInboxTable;
  contact_sync_sweeps: ContactSyncSweepsTable;
  contact_sync_writes: ContactSyncWritesTable;
  contact_sync_creates: ContactSyncCreatesTable;
  sync_operations: SyncOperationsTable;
  call_media: CallMediaTable;
  recording_registrations: RecordingRegistrationsTable;
}
