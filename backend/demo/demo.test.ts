import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.ts';

describe('npm run demo', () => {
  it('plays the scripted day and ends with the tables: one HubSpot call per Dialer.io call, no duplicates', async () => {
    let printed = '';
    const summary = await runDemo({ out: (text) => void (printed += text), timeoutMs: 100_000 });

    expect(summary).toMatchObject({
      dialerCalls: 10,
      hubspotCalls: 10,
      duplicates: 0,
      oneCallPerDialerCall: true,
      asScripted: true,
      contactsCreated: 0,
      recordingPlayed: true,
      transcriptSent: true,
    });
    // Every event reached the inbox once, though many were delivered twice.
    expect(summary.eventsStored).toBe(summary.eventsSent);
    expect(summary.deliveries).toBeGreaterThan(summary.eventsSent);
    // The unmapped agent and the unknown numbers are in the activity log as warnings.
    const warned = summary.activity.filter((a) => a.level === 'warning').map((a) => a.step);
    expect(warned).toEqual(
      expect.arrayContaining(['owner_unmapped', 'contact_not_found', 'outcome_unmapped']),
    );
    expect(summary.activity.find((a) => a.step === 'hubspot_created')?.count).toBe(10);

    for (const title of [
      'Calls logged in HubSpot',
      'Dialer.io events sent vs HubSpot calls created',
      'Activity log summary',
      'Recordings and transcripts in HubSpot',
    ])
      expect(printed).toContain(title);
    expect(printed).toContain('Outbound call to Jane Doe');
    expect(printed).toContain('(02) 9374-4000');
    expect(summary.output).toBe(printed.slice(0, summary.output.length));
    expect(printed).toMatch(/stopped the service and the simulators, removed the temporary database\n$/);
  }, 120_000);
});
