import { Table } from '@hubspot/ui-extensions';
import { describe, expect, it } from 'vitest';
import { DialerCardView } from '../../hubspot-project/app/cards/DialerCardView.tsx';
import { displayZoneOf, formatTime } from '@dialer-sync/ui-shared/time';
import { adminSession, fakeBackend, setupConnected } from './support/fake-backend.ts';
import { pageRoutes } from './support/page-routes.ts';
import { createRenderer, eventually, screen } from './support/render.ts';
import { openSection, renderSettings } from './support/settings-page.tsx';

// setupConnected.lastEventAt and the activity row are 2026-11-20T09:30:00Z.
const tokyoInGerman = { portal: { timezone: 'Asia/Tokyo' }, user: { locale: 'de-DE' } };

describe("times in the portal's zone and the user's locale", () => {
  it('formats one time per zone and locale, and falls back to UTC for what it cannot read', () => {
    const at = '2026-11-20T09:30:00.000Z';
    expect(formatTime(at, displayZoneOf(tokyoInGerman))).toMatch(/^20\.11\.2026, 18:30:00 /);
    expect(formatTime(at, displayZoneOf({ portal: { timezone: 'America/New_York' } }))).toBe(
      '11/20/2026, 4:30:00 AM EST',
    );
    expect(
      formatTime(at, displayZoneOf({ portal: { timezone: 'Mars/Olympus' }, user: { locale: '!!' } })),
    ).toBe('11/20/2026, 9:30:00 AM UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('the settings page shows its times in the portal zone, in the user locale', async () => {
    const renderer = renderSettings(fakeBackend(pageRoutes), tokyoInGerman);
    await eventually(() => expect(screen(renderer)).toContain('20.11.2026, 18:30:00'));
    expect(screen(renderer)).not.toContain('UTC');
    await openSection(renderer, 'activity');
    await eventually(() => renderer.findByTestId(Table, 'activity-table'));
    expect(renderer.findByTestId(Table, 'activity-table').toString()).toContain('20.11.2026, 18:30:00');
  });

  it("the page reads HubSpot's context: the portal's zone when the user has no locale", async () => {
    const backend = fakeBackend({ ...pageRoutes, 'GET /api/setup': setupConnected });
    const renderer = renderSettings(backend); // the renderer's context: America/New_York, no locale
    await eventually(() => expect(screen(renderer)).toContain('11/20/2026, 4:30:00 AM EST'));
  });

  it('the contact card shows its times in the portal zone, in the user locale', async () => {
    const status = {
      contactId: '501',
      dialer: { linked: true, dialerContactId: 'dc-1', doNotCall: false, lineType: null },
      lists: [{ listId: 'l1', name: 'Hot leads', addedAt: '2026-07-01T08:00:00.000Z' }],
      calls: [
        {
          callId: 'c1',
          startedAt: '2026-11-20T09:30:00.000Z',
          direction: 'OUTBOUND',
          outcome: 'Connected',
          owner: 'Ann',
          syncState: 'synced',
        },
      ],
      lastError: null,
    };
    const backend = fakeBackend({ 'GET /api/session': adminSession, 'GET /api/contacts/501/status': status });
    const renderer = createRenderer('crm.record.tab');
    renderer.render(
      <DialerCardView
        api={backend.api}
        contactId="501"
        context={{ portal: { timezone: 'America/Los_Angeles' }, user: { locale: 'en-GB' } }}
      />,
    );
    await eventually(() => renderer.findByTestId(Table, 'calls'));
    expect(renderer.findByTestId(Table, 'calls').toString()).toContain('20/11/2026, 1:30:00');
    expect(renderer.findByTestId(Table, 'lists').toString()).toContain('01/07/2026, 1:00:00'); // summer time
    expect(screen(renderer)).not.toContain('UTC');
  });
});
