import type { PortalClient } from '../hubspot/client.ts';
import { fullName, objectsAnswer } from './hubspot-objects.ts';

export interface ContactHit {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** HubSpot's full-text contact search (name, email, phone): 10 hits for the "Link to contact" picker. */
export async function searchContactsByText(client: PortalClient, q: string): Promise<ContactHit[]> {
  const answer = objectsAnswer.parse(
    await client.send('searchContacts', {
      body: { query: q, properties: ['firstname', 'lastname', 'email', 'phone', 'mobilephone'], limit: 10 },
    }),
  );
  return answer.results.map((r) => ({
    id: r.id,
    name: fullName(r.properties),
    email: r.properties.email ?? null,
    phone: r.properties.phone ?? r.properties.mobilephone ?? null,
  }));
}
