// Contact-sync additions: a user's edits in HubSpot, typed custom properties, and the property-change
// webhook events HubSpot would send for what changed (so tests can deliver them, echoes included).
import type { HubSpotWebhookEvent } from '../../../src/hubspot-webhooks/events.ts';
import { applyProperties, type SimPortal, type SimPropertyChange } from './state.ts';

/** A user edits a contact in HubSpot's UI. */
export function editContact(portal: SimPortal, contactId: string, properties: Record<string, string>): void {
  const contact = portal.objects.contacts.get(contactId);
  if (!contact) throw new Error(`HubSpot simulator: no contact ${contactId}`);
  applyProperties(portal, contact, properties, 'CRM_UI');
}

/** Adds a contact property of a type (e.g. a custom `date` property) to the portal. */
export function addContactProperty(
  portal: SimPortal,
  property: { name: string; type: string; fieldType: string; groupName?: string; readOnly?: boolean },
): void {
  portal.properties.push({
    name: property.name,
    label: property.name,
    groupName: property.groupName ?? 'contactinformation',
    type: property.type,
    fieldType: property.fieldType,
    hubspotDefined: false,
    ...(property.readOnly ? { modificationMetadata: { readOnlyValue: true } } : {}),
  });
}

let eventSeq = 1;

/** The property changes since `from` (an index into `propertyChanges`) as webhook events. */
export function propertyChangeEvents(
  portal: SimPortal,
  from: number,
  opts: { appId?: number; properties?: readonly string[] } = {},
): HubSpotWebhookEvent[] {
  return portal.propertyChanges
    .slice(from)
    .filter((c) => !opts.properties || opts.properties.includes(c.propertyName))
    .map((change: SimPropertyChange) => ({
      eventId: String(eventSeq++),
      portalId: portal.portalId,
      subscriptionType: 'object.propertyChange',
      occurredAt: change.occurredAt,
      objectId: Number(change.objectId),
      objectTypeId: '0-1',
      propertyName: change.propertyName,
      propertyValue: change.propertyValue,
      changeSource: change.changeSource,
      sourceId: change.changeSource === 'INTEGRATION' ? String(opts.appId ?? 999_001) : 'userId:1',
      subscriptionId: 1,
      appId: opts.appId ?? 999_001,
      attemptNumber: 0,
    }));
}

/** The contact reaches HubSpot's search index only at `visibleAt` (ms; 0 = now): index lag. */
export function indexLate(portal: SimPortal, contactId: string, visibleAt: number): void {
  const contact = portal.objects.contacts.get(contactId);
  if (!contact) throw new Error(`HubSpot simulator: no contact ${contactId}`);
  contact.searchVisibleAt = visibleAt;
}
