import { z } from 'zod';

/**
 * The `*-hsmeta.json` shapes HubSpot requires (shared/hubspot-facts.md, platform 2026.03).
 * `@hubspot/project-parsing-lib` does not check `config` offline, so these do.
 */

export const ALLOWED_TOP_LEVEL_KEYS = ['uid', 'type', 'config', 'dependencies', 'permissions'];
export const UID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Folder (relative to srcDir) → the component type HubSpot expects there. */
export const FOLDER_TYPES: Record<string, string> = {
  app: 'app',
  'app/cards': 'card',
  'app/settings': 'settings',
  'app/webhooks': 'webhooks',
  'app/workflow-actions': 'workflow-action',
};
/** Components HubSpot allows only once per app. */
export const SINGULAR_TYPES = ['app', 'settings', 'webhooks'];

const text = z.string().trim().min(1);
export const httpsUrl = z
  .url()
  .refine((value) => new URL(value).protocol === 'https:', 'must be an https URL')
  .refine(
    (value) => !/^(localhost|127\.|0\.0\.0\.0|\[::1\])/.test(new URL(value).hostname),
    'must not be local',
  );
const stringList = z.array(text);

const appConfig = z.object({
  name: text,
  description: text,
  distribution: z.literal('marketplace'),
  auth: z.object({
    type: z.literal('oauth'),
    redirectUrls: z.array(httpsUrl).min(1),
    requiredScopes: stringList.refine((scopes) => scopes.includes('oauth'), 'must include "oauth"'),
    optionalScopes: stringList,
    conditionallyRequiredScopes: stringList,
  }),
  permittedUrls: z.object({
    fetch: z
      .array(httpsUrl)
      .min(1)
      .refine(
        (urls) => urls.every((url) => new URL(url).origin === url.replace(/\/$/, '')),
        'must be origins',
      ),
    iframe: z.array(httpsUrl),
    img: z.array(httpsUrl),
  }),
  support: z.object({
    supportEmail: z.email(),
    documentationUrl: httpsUrl,
    supportUrl: httpsUrl,
    supportPhone: text,
  }),
});

const cardConfig = z.object({
  name: text,
  location: z.enum(['crm.record.tab', 'crm.record.sidebar']),
  entrypoint: z.string().regex(/^\/app\/cards\/[^/]+\.(jsx|tsx)$/, 'must be /app/cards/<file>.jsx|tsx'),
  objectTypes: z.array(text).min(1),
});

const settingsConfig = z.object({
  entrypoint: z.string().regex(/^\/app\/settings\/[^/]+\.(jsx|tsx)$/, 'must be /app/settings/<file>.jsx|tsx'),
});

const active = z.boolean();
const webhooksConfig = z.object({
  settings: z.object({ targetUrl: httpsUrl, maxConcurrentRequests: z.number().int().positive() }),
  subscriptions: z
    .object({
      crmObjects: z
        .array(z.object({ subscriptionType: text, objectType: text, propertyName: text.optional(), active }))
        .optional(),
      legacyCrmObjects: z
        .array(z.object({ subscriptionType: text, propertyName: text.optional(), active }))
        .optional(),
      hubEvents: z.array(z.object({ subscriptionType: text, active })).optional(),
    })
    .refine(
      (s) => (s.crmObjects?.length ?? 0) + (s.legacyCrmObjects?.length ?? 0) + (s.hubEvents?.length ?? 0) > 0,
      {
        message: 'needs at least one subscription',
      },
    ),
});

const field = z.object({
  typeDefinition: z
    .object({ name: text, type: text, fieldType: text.optional(), options: z.array(z.unknown()).optional() })
    .loose()
    .refine(
      (t) => !(t.type === 'enumeration' && !t.options && !('optionsUrl' in t)),
      'enumeration needs options',
    ),
  supportedValueTypes: z.array(text).min(1),
  isRequired: z.boolean(),
});
/** Output fields take a typeDefinition only: supportedValueTypes belongs to input fields. */
const outputField = z.strictObject(
  { typeDefinition: field.shape.typeDefinition },
  { error: 'output fields take typeDefinition only (supportedValueTypes belongs to input fields)' },
);
const workflowActionConfig = z.object({
  actionUrl: httpsUrl,
  isPublished: z.boolean(),
  supportedClients: z.array(z.object({ client: text })).min(1),
  inputFields: z.array(field),
  outputFields: z.array(outputField).optional(),
  objectTypes: z.array(text).min(1),
  labels: z.object({ en: z.object({ actionName: text }).loose() }).loose(),
});

export const CONFIG_SCHEMAS: Record<string, z.ZodType> = {
  app: appConfig,
  card: cardConfig,
  settings: settingsConfig,
  webhooks: webhooksConfig,
  'workflow-action': workflowActionConfig,
};

export type AppConfig = z.infer<typeof appConfig>;
