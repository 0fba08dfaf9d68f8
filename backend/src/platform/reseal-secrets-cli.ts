import { loadConfig } from './config.ts';
import { createSecretBox } from './crypto.ts';
import { openDatabase } from './db/database.ts';
import { resealSecrets } from './secret-rotation.ts';

// `npm run secrets:reseal`: after putting a new key first in ENCRYPTION_KEYS (and deploying
// that everywhere), re-seals every stored secret with it; then the old key can be removed.
const config = loadConfig();
const handle = await openDatabase(config);
try {
  const resealed = await resealSecrets(handle.db, createSecretBox(config.encryptionKeys));
  console.log(`re-sealed ${resealed} secret(s) with key ${config.encryptionKeys[0]!.id}`);
} finally {
  await handle.close();
}
