import { randomBytes } from 'node:crypto';
import { findInstallationByPortal } from '../../src/installations/repository.ts';
import type { TestApp } from './test-app.ts';

/**
 * Stores a Dialer.io connection for an installed portal straight into the database, with a
 * real account, token and webhook in the Dialer.io simulator, and its lists mirrored: for tests
 * of features that need a connection but are not about connecting.
 */
export async function seedDialerConnection(
  app: TestApp,
  portalId: number,
  account: { country?: string } = {},
) {
  const installation = (await findInstallationByPortal(app.runtime.ctx.db, portalId))!;
  const { id: accountId, token } = app.dialer.createAccount({
    name: `Account of ${portalId}`,
    country: account.country ?? 'US',
  });
  const key = randomBytes(12).toString('base64url');
  const secret = `whsec_${randomBytes(12).toString('hex')}`;
  const box = app.runtime.ctx.box;
  await app.runtime.ctx.db
    .insertInto('dialer_connections')
    .values({
      installation_id: installation.id,
      account_id: accountId,
      account_name: `Account of ${portalId}`,
      country: account.country ?? 'US',
      timezone: null,
      api_token_enc: box.encrypt(token),
      webhook_id: `wh_seed_${key}`,
      webhook_secret_enc: box.encrypt(secret),
      webhook_key: key,
      connected_by_user_id: null,
    })
    .execute();
  return { installation, accountId, token, webhookKey: key, webhookSecret: secret };
}
