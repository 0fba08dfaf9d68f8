// The demo's world and its scripted day of calls: an Australian real-estate agency whose
// agents call from Dialer.io and whose contacts live in HubSpot.
import type { DialerAgent, DialerCall, DialerDisposition, DialerList } from '../src/dialer/types.ts';
import type { CallLifecycleOptions, DialerSimulator } from '../test/simulators/dialer/index.ts';
import type { HubSpotSimulator } from '../test/simulators/hubspot/index.ts';

export const DEMO_PORTAL_ID = 7_700_001;
/** The HubSpot user who opens the settings page: a super admin of the portal. */
export const DEMO_ADMIN_USER_ID = 4_100;

export interface HubSpotWorld {
  contacts: { jane: string; priya: string; marcus: string; chloe: string };
}

export interface DialerWorld {
  accountId: string;
  token: string;
  agents: { olivia: DialerAgent; liam: DialerAgent; tom: DialerAgent };
  dispositions: { connected: DialerDisposition; callback: DialerDisposition; wrong: DialerDisposition };
  list: DialerList;
  /** The Dialer.io contact pushed from HubSpot (its external_id is the HubSpot contact id). */
  chloe: { id: string; external_id: string };
}

/** What the HubSpot call must look like when the day is over. */
export interface Expected {
  status: string;
  outcome: string | null;
  contact: string | null;
  owner: string | null;
}

export interface ScriptedCall {
  id: string;
  /** What happens, in a few words. */
  story: string;
  seed: Partial<DialerCall>;
  opts: CallLifecycleOptions;
  expect: Expected;
}

export type Delivery = 'in order' | 'reversed (out of order)' | 'shuffled, every event twice';

export interface CallGroup {
  label: string;
  delivery: Delivery;
  calls: ScriptedCall[];
}

const OLIVIA = 'olivia.nguyen@harbourrealty.example';
const LIAM = 'liam.chen@harbourrealty.example';

/** The HubSpot side: a super admin, two owners and four contacts with Australian numbers. */
export function seedHubSpot(hubspot: HubSpotSimulator, portalId: number): HubSpotWorld {
  hubspot.createPortal({
    portalId,
    superAdminUserIds: [DEMO_ADMIN_USER_ID],
    hubDomain: 'harbourrealty.example',
  });
  hubspot.setUser(portalId, DEMO_ADMIN_USER_ID, { superAdmin: true, email: 'admin@harbourrealty.example' });
  hubspot.addOwner(portalId, { email: OLIVIA, firstName: 'Olivia', lastName: 'Nguyen', userId: 901 });
  hubspot.addOwner(portalId, { email: LIAM, firstName: 'Liam', lastName: 'Chen', userId: 902 });
  const contact = (firstname: string, lastname: string, phones: Record<string, string>) =>
    hubspot.addContact(portalId, { firstname, lastname, ...phones });
  return {
    contacts: {
      jane: contact('Jane', 'Doe', { phone: '+61 2 9374 4000' }),
      priya: contact('Priya', 'Sharma', { mobilephone: '+61 412 345 678' }),
      marcus: contact('Marcus', 'Lee', { phone: '+61 3 9600 1234' }),
      chloe: contact('Chloe', 'Martin', { phone: '+61 7 3211 0000' }),
    },
  };
}

/** The Dialer.io side: an AU account, three agents (one unknown to HubSpot), dispositions, a list. */
export function seedDialer(dialer: DialerSimulator, hubspot: HubSpotWorld): DialerWorld {
  const { id: accountId, token } = dialer.createAccount({
    name: 'Harbour Realty Sydney',
    country: 'AU',
    timezone: 'Australia/Sydney',
  });
  const agents = {
    // Mixed case and a stray space: still the HubSpot owner's email.
    olivia: dialer.addAgent(accountId, {
      name: 'Olivia Nguyen',
      email: ' Olivia.Nguyen@HarbourRealty.example',
    }),
    liam: dialer.addAgent(accountId, { name: 'Liam Chen', email: LIAM }),
    // A contractor with no HubSpot user: the unmapped agent.
    tom: dialer.addAgent(accountId, { name: 'Tom Temp', email: 'tom@contractors.example' }),
  };
  const dispositions = {
    connected: dialer.addDisposition(accountId, { name: 'Connected', category: 'connected' }),
    // No HubSpot outcome has this name: logged without an outcome, with a warning.
    callback: dialer.addDisposition(accountId, { name: 'Callback requested', category: 'other' }),
    wrong: dialer.addDisposition(accountId, { name: 'Wrong number', category: 'other' }),
  };
  const list = dialer.addList(accountId, { name: 'Spring open homes' });
  dialer.addContact(accountId, {
    external_id: hubspot.contacts.jane,
    phone: '+61 2 9374 4000',
    first_name: 'Jane',
    last_name: 'Doe',
    lists: [list.id],
  });
  const chloe = dialer.addContact(accountId, {
    external_id: hubspot.contacts.chloe,
    phone: '07 3211 0000',
    first_name: 'Chloe',
    last_name: 'Martin',
    lists: [list.id],
  });
  return {
    accountId,
    token,
    agents,
    dispositions,
    list,
    chloe: { id: chloe.id, external_id: hubspot.contacts.chloe },
  };
}

/** Today (UTC) at `hh:mm`. */
function at(time: string): string {
  return `${new Date().toISOString().slice(0, 10)}T${time}:00Z`;
}

const OFFICE = '+61 2 8000 0000';

/** The day: ten calls in three waves, each wave delivered differently. */
export function dayOfCalls(dialer: DialerWorld): CallGroup[] {
  const agent = (a: DialerAgent) => ({ id: a.id, name: a.name, email: a.email });
  const { olivia, liam, tom } = dialer.agents;
  const { connected, callback, wrong } = dialer.dispositions;
  const out = (id: string, time: string, to: string, who: DialerAgent, extra: Partial<DialerCall> = {}) => ({
    id,
    direction: 'outbound' as const,
    from_number: OFFICE,
    to_number: to,
    started_at: at(time),
    agent: agent(who),
    ...extra,
  });
  const inb = (id: string, time: string, from: string, who: DialerAgent) => ({
    id,
    direction: 'inbound' as const,
    from_number: from,
    to_number: OFFICE,
    started_at: at(time),
    agent: agent(who),
  });
  const expect = (status: string, outcome: string | null, contact: string | null, owner: string | null) => ({
    status,
    outcome,
    contact,
    owner,
  });

  return [
    {
      label: 'Morning',
      delivery: 'in order',
      calls: [
        {
          id: 'call_0902',
          story: 'books an inspection (list call)',
          seed: out('call_0902', '09:02', '02 9374 4000', olivia, { list_id: dialer.list.id }),
          opts: {
            answered: true,
            disposition: connected.id,
            notes: 'Booked an inspection for Saturday 10am.',
          },
          expect: expect('COMPLETED', 'Connected', 'Jane Doe', OLIVIA),
        },
        {
          id: 'call_0918',
          story: 'Jane calls back, no disposition',
          seed: inb('call_0918', '09:18', '(02) 9374-4000', liam),
          opts: { answered: true, talkSeconds: 240 },
          expect: expect('COMPLETED', 'Connected', 'Jane Doe', LIAM),
        },
        {
          id: 'call_0947',
          story: 'mobile, nobody picks up',
          seed: out('call_0947', '09:47', '0412 345 678', olivia),
          opts: {},
          expect: expect('NO_ANSWER', 'No answer', 'Priya Sharma', OLIVIA),
        },
      ],
    },
    {
      label: 'Late morning',
      delivery: 'reversed (out of order)',
      calls: [
        {
          id: 'call_1012',
          story: 'leaves a voicemail',
          seed: out('call_1012', '10:12', '+61 412 345 678', liam, { status: 'voicemail' }),
          opts: { ringSeconds: 30 },
          expect: expect('COMPLETED', 'Left voicemail', 'Priya Sharma', LIAM),
        },
        {
          id: 'call_1031',
          story: 'line busy',
          seed: out('call_1031', '10:31', '03 9600 1234', liam, { status: 'busy' }),
          opts: { ringSeconds: 2 },
          expect: expect('BUSY', 'Busy', 'Marcus Lee', LIAM),
        },
      ],
    },
    {
      label: 'Afternoon',
      delivery: 'shuffled, every event twice',
      calls: [
        {
          id: 'call_1105',
          story: 'unknown caller, missed',
          seed: inb('call_1105', '11:05', '+61 2 8888 1234', olivia),
          opts: {},
          expect: expect('NO_ANSWER', 'No answer', null, OLIVIA),
        },
        {
          id: 'call_1140',
          story: 'contractor (unmapped agent)',
          seed: out('call_1140', '11:40', '(03) 9600-1234', tom),
          opts: { answered: true, disposition: callback.id, notes: 'Wants a call back after the auction.' },
          // A disposition with no HubSpot outcome: logged without one until it is mapped (the
          // status's outcome is for calls with no disposition at all, as call_0918 shows).
          expect: expect('COMPLETED', null, 'Marcus Lee', null),
        },
        {
          id: 'call_1315',
          story: 'list contact, wrong number',
          seed: out('call_1315', '13:15', '07 3211 0000', olivia, { contact: dialer.chloe }),
          opts: { answered: true, talkSeconds: 20, disposition: wrong.id },
          expect: expect('COMPLETED', 'Wrong number', 'Chloe Martin', OLIVIA),
        },
        {
          id: 'call_1400',
          story: 'cold call to a new number',
          seed: out('call_1400', '14:00', '0400 000 111', tom),
          opts: { answered: true, disposition: connected.id },
          expect: expect('COMPLETED', 'Connected', null, null),
        },
        {
          id: 'call_1530',
          story: 'Jane confirms the offer',
          seed: inb('call_1530', '15:30', '+61 2 9374 4000', liam),
          opts: { answered: true, disposition: connected.id, notes: 'Offer confirmed in writing.' },
          expect: expect('COMPLETED', 'Connected', 'Jane Doe', LIAM),
        },
      ],
    },
  ];
}
