import { installAndConnect, waitForSyncIdle, ADMIN } from '../call-logging/test-setup.ts';
import { findInstallationByPortal } from '../installations/repository.ts';
import type { TestApp } from '../../test/support/test-app.ts';
import { actionCall, postSigned } from '../workflow-actions/test-helpers.ts';

export { ADMIN };
export const NOT_ADMIN = 77;

/** Jane's number as the agents typed it, and as we normalise it. */
export const JANE = {
  email: 'Jane.Doe@Example.com',
  formats: ['02 9374 4000', '(02) 9374-4000', '+61 2 9374 4000'],
  e164: '+61293744000',
  national: '293744000',
};
export const BOB = { email: 'bob.other@example.com', phone: '+61 2 9374 5000', e164: '+61293745000' };

/**
 * A portal whose database holds two people: Jane (three calls in three formats, a Dialer.io
 * contact event with her email, a workflow action about her) and Bob (one call, one event).
 */
export async function portalWithJaneAndBob(app: TestApp, portalId: number) {
  const { account } = await installAndConnect(app, portalId);
  app.hubspot.setUser(portalId, NOT_ADMIN, { superAdmin: false });
  const jane = app.hubspot.addContact(portalId, {
    firstname: 'Jane',
    lastname: 'Doe',
    phone: JANE.formats[2]!,
    email: JANE.email,
  });
  const bob = app.hubspot.addContact(portalId, { firstname: 'Bob', lastname: 'Other', phone: BOB.phone });
  JANE.formats.forEach((to_number, i) =>
    app.dialer.emitBatch(
      account.id,
      app.dialer.callLifecycle(account.id, { id: `jane-${portalId}-${i}`, direction: 'outbound', to_number }),
    ),
  );
  app.dialer.emitBatch(
    account.id,
    app.dialer.callLifecycle(account.id, {
      id: `bob-${portalId}`,
      direction: 'inbound',
      from_number: BOB.phone,
    }),
  );
  for (const [id, phone, email] of [
    [jane, JANE.formats[0]!, JANE.email],
    [bob, BOB.phone, BOB.email],
  ] as const) {
    const contact = app.dialer.addContact(account.id, { external_id: String(id), phone, email });
    app.dialer.emit(account.id, 'contact.updated', { contact, changed: ['email'] });
  }
  const list = app.dialer.addList(account.id, { name: 'Hot leads' });
  const workflow = await postSigned(
    app,
    'addToList',
    actionCall(portalId, {
      contactId: Number(jane),
      inputFields: { list: list.id },
      properties: { phone: JANE.formats[1]!, email: JANE.email, firstname: 'Jane', lastname: 'Doe' },
    }),
  );
  if (workflow.status !== 200) throw new Error(`workflow action failed: ${workflow.status}`);
  await waitForSyncIdle(app, portalId);
  const installation = (await findInstallationByPortal(app.runtime.ctx.db, portalId))!;
  return { account, jane: String(jane), bob: String(bob), installation };
}

/** Every way Jane's identifiers could appear in stored text. */
export function janeTraces(): string[] {
  return [...JANE.formats, JANE.e164, JANE.email, JANE.email.toLowerCase()];
}
