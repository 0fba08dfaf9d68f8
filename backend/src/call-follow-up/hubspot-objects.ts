import { z } from 'zod';

/**
 * HubSpot's answer listing CRM objects (batch read/create/update, search), read tolerantly:
 * only ids and the properties asked for; a missing `results` is an empty list.
 */
export const objectsAnswer = z.object({
  results: z
    .array(z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullish()).default({}) }))
    .default([]),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export const fullName = (p: Record<string, string | null | undefined>) =>
  [p.firstname, p.lastname].filter((part) => part && part.trim()).join(' ') || null;
