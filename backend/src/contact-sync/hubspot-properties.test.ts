import { describe, expect, it, vi } from 'vitest';
import type { PortalClient } from '../hubspot/client.ts';
import { cachedPortalCount, listContactProperties } from './hubspot-properties.ts';

function portal(installationId: string) {
  const send = vi.fn(async () => ({ results: [{ name: 'phone', label: 'Phone', type: 'string' }] }));
  return { client: { portalId: 1, installationId, send } as unknown as PortalClient, send };
}

describe('contact properties cache', () => {
  it('asks HubSpot once a minute per portal', async () => {
    const { client, send } = portal('props-a');
    await listContactProperties(client, 1_000_000);
    const again = await listContactProperties(client, 1_059_000);
    expect(again.map((p) => p.name)).toEqual(['phone']);
    expect(send).toHaveBeenCalledTimes(1);
    await listContactProperties(client, 1_060_000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('lets go of the lists of portals not seen for a minute (a thousand portals do not stay in memory)', async () => {
    const start = 2_000_000;
    for (let i = 0; i < 50; i++) await listContactProperties(portal(`props-old-${i}`).client, start);
    expect(cachedPortalCount()).toBeGreaterThanOrEqual(50);
    await listContactProperties(portal('props-new').client, start + 60_000);
    expect(cachedPortalCount()).toBe(1);
  });
});
