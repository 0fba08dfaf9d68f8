import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/**
 * Every HubSpot app-webhook event accepted, once per event id; `processed_at` is set when every
 * handler of its type has taken it (or it has none).
 */
export interface HubspotWebhookInboxTable {
  id: Generated<string>;
  installation_id: string;
  event_id: string;
  subscription_type: string;
  object_type_id: string | null;
  object_id: ColumnType<string | null, string | number | null, string | number | null>;
  occurred_at: Timestamp;
  payload: ColumnType<unknown, string, string>;
  received_at: Timestamp;
  processed_at: Timestamp | null;
  last_error: string | null;
}

export type HubspotWebhookInboxRow = Selectable<HubspotWebhookInboxTable>;
