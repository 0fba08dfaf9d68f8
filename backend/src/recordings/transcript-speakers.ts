import type { DialerCall, DialerTranscript } from '../dialer/index.ts';
import type { Db } from '../platform/db/database.ts';
import { normalisePhone } from '../phone/index.ts';
import { otherPartyNumber } from '../call-logging/properties.ts';

export interface HubSpotUtterance {
  speaker: { id: string; name: string; email?: string };
  text: string;
  languageCode?: string;
  startTimeMillis: number;
  endTimeMillis: number;
}

interface Speaker {
  id: string;
  name: string;
  email?: string;
}

/**
 * Who spoke, as HubSpot shows it: the agent as the HubSpot user its owner mapping names (else the
 * agent as Dialer.io knows them), the contact by the HubSpot contact's name, else their number.
 */
export async function mapSpeakers(
  db: Db,
  installationId: string,
  call: DialerCall,
  contactId: string | null,
  country: string,
): Promise<{ agent: Speaker; contact: Speaker }> {
  const owner = call.agent
    ? await db
        .selectFrom('dialer_agents as a')
        .innerJoin('hubspot_owners as o', (join) =>
          join.onRef('o.installation_id', '=', 'a.installation_id').onRef('o.owner_id', '=', 'a.owner_id'),
        )
        .select(['o.owner_id', 'o.user_id', 'o.email', 'o.first_name', 'o.last_name'])
        .where('a.installation_id', '=', installationId)
        .where('a.agent_id', '=', call.agent.id)
        .executeTakeFirst()
    : undefined;
  const ownerName = [owner?.first_name, owner?.last_name].filter(Boolean).join(' ');
  const agent: Speaker = owner
    ? {
        id: String(owner.user_id ?? owner.owner_id),
        name: ownerName || call.agent?.name || 'Agent',
        ...(owner.email ? { email: owner.email } : {}),
      }
    : { id: `dialer-agent-${call.agent?.id ?? 'unknown'}`, name: call.agent?.name || 'Agent' };
  const cached = contactId
    ? await db
        .selectFrom('contact_cache')
        .select(['first_name', 'last_name'])
        .where('installation_id', '=', installationId)
        .where('contact_id', '=', contactId)
        .executeTakeFirst()
    : undefined;
  const number = otherPartyNumber(call);
  const contactName = [cached?.first_name, cached?.last_name].filter(Boolean).join(' ');
  const contact: Speaker = {
    id: contactId ? `contact-${contactId}` : `number-${number}`,
    name: contactName || (normalisePhone(number, country)?.e164 ?? number) || 'Contact',
  };
  return { agent, contact };
}

export function toHubSpotUtterances(
  transcript: DialerTranscript,
  speakers: { agent: Speaker; contact: Speaker },
): HubSpotUtterance[] {
  return transcript.utterances
    .filter((u) => u.text.trim() !== '')
    .map((u) => ({
      speaker: speakers[u.speaker],
      text: u.text,
      ...(transcript.language ? { languageCode: transcript.language } : {}),
      startTimeMillis: Math.round(u.start_ms),
      endTimeMillis: Math.round(Math.max(u.end_ms, u.start_ms)),
    }));
}
