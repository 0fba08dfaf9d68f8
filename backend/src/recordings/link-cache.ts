/**
 * Dialer.io's signed recording links, kept in this process for a short while so a user scrubbing
 * through a call (HubSpot asks again) costs no Dialer.io request. A link is kept for at most
 * `MAX_KEEP_MS` and never past half of its remaining life, so what we hand out always has minutes
 * left. Only the link is kept: no audio ever passes through us.
 */
const MAX_KEEP_MS = 2 * 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  url: string;
  keepUntil: number;
}

const links = new Map<string, Entry>();
const keyOf = (installationId: string, callId: string) => `${installationId}\u0000${callId}`;

export function cachedRecordingLink(installationId: string, callId: string, now: number): string | null {
  const key = keyOf(installationId, callId);
  const entry = links.get(key);
  if (!entry) return null;
  if (entry.keepUntil > now) return entry.url;
  links.delete(key);
  return null;
}

export function keepRecordingLink(
  installationId: string,
  callId: string,
  link: { url: string; expiresAt: number },
  now: number,
): void {
  const keepFor = Math.min(MAX_KEEP_MS, (link.expiresAt - now) / 2);
  if (keepFor <= 0) return;
  if (links.size >= MAX_ENTRIES) links.delete(links.keys().next().value!);
  links.set(keyOf(installationId, callId), { url: link.url, keepUntil: now + keepFor });
}

export function forgetRecordingLink(installationId: string, callId: string): void {
  links.delete(keyOf(installationId, callId));
}
