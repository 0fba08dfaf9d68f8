import { describe, expect, it } from 'vitest';
import type { PortalClient } from '../hubspot/client.ts';
import { refusedAssociations } from './association-answer.ts';
import { createContacts } from './unknown-caller-writes.ts';

/** A client whose one answer is `answer`: what HubSpot said, nothing else. */
const answering = (answer: unknown): PortalClient => ({
  portalId: 1,
  installationId: 'i',
  send: async <T>() => answer as T,
});

describe('reading HubSpot batch answers per input', () => {
  it('a created contact is matched by its trace id, whatever phone string HubSpot echoes', async () => {
    const { created, refused } = await createContacts(
      answering({
        results: [{ id: '11', objectWriteTraceId: '+61293744141', properties: { phone: '(02) 9374 4141' } }],
        errors: [
          { message: 'Property values were not valid', context: { objectWriteTraceId: ['+61293744142'] } },
        ],
      }),
      ['+61293744141', '+61293744142'],
    );
    expect([...created]).toEqual([['+61293744141', '11']]);
    expect([...refused]).toEqual([['+61293744142', 'Property values were not valid']]);
  });

  it('an association HubSpot refused in a multi-status answer is refused; with no errors all landed', () => {
    const inputs = [
      { fromId: '1', toId: '9' },
      { fromId: '2', toId: '9' },
    ];
    const multi = {
      results: [{ fromObjectId: 1, toObjectId: 9 }],
      errors: [
        { message: 'No calls object with ID 2 exists', context: { fromObjectId: ['2'], toObjectId: ['9'] } },
      ],
    };
    expect([...refusedAssociations(multi, inputs)]).toEqual([[1, 'No calls object with ID 2 exists']]);
    const defaults = { results: [{ from: { id: '1' }, to: { id: '9' } }], errors: [{ message: 'gone' }] };
    expect([...refusedAssociations(defaults, inputs)]).toEqual([[1, 'gone']]);
    expect(refusedAssociations({ status: 'COMPLETE', results: [] }, inputs).size).toBe(0);
    expect(refusedAssociations(undefined, inputs).size).toBe(0);
  });
});
