import { z } from 'zod';

// The edges of the workflow actions: what HubSpot sends, and the inputs each action defines in its
// `*-hsmeta.json` (the contract test compares these schemas with those files).

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** HubSpot sends a boolean input as `"true"` / `"false"`. */
const booleanInput = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const listId = z.string().trim().min(1, 'choose a Dialer.io list').max(200);

/** "Add to Dialer.io list". */
export const addToListInputsSchema = z
  .object({
    list: listId,
    updateDetails: z.preprocess(emptyToUndefined, booleanInput.default(true)),
  })
  .strict();

export const REMOVE_SCOPES = ['one_list', 'all_lists'] as const;

/** "Remove from Dialer.io list": `list` is shown (and required) only for `one_list`. */
export const removeFromListInputsSchema = z
  .object({
    scope: z.enum(REMOVE_SCOPES),
    list: z.preprocess(emptyToUndefined, listId.optional()),
  })
  .strict()
  .refine((inputs) => inputs.scope === 'all_lists' || inputs.list !== undefined, {
    message: 'choose a Dialer.io list',
    path: ['list'],
  });

export type AddToListInputs = z.infer<typeof addToListInputsSchema>;
export type RemoveFromListInputs = z.infer<typeof removeFromListInputsSchema>;

/** The output fields both actions declare (`outputFields` in their `*-hsmeta.json`). */
export const DECLARED_OUTPUTS = ['result', 'dialer_contact_id'] as const;

/** Values of the `result` output field. */
export const ACTION_RESULTS = ['added', 'already_member', 'removed', 'not_member'] as const;
export type ActionResult = (typeof ACTION_RESULTS)[number];

/** Contact properties the actions ask HubSpot to send (`objectRequestOptions.properties`). */
export const REQUESTED_PROPERTIES = [
  'phone',
  'mobilephone',
  'email',
  'firstname',
  'lastname',
  'company',
  'hubspot_owner_id',
] as const;

const idText = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);

/** CRM property values arrive as strings; anything else is read as its text rather than refused. */
const propertyValue = z.union([z.string(), z.number(), z.boolean()]).transform(String).nullable();

/** A workflow action call. Not strict: HubSpot adds envelope keys over time (`extensionDefinitionId`...). */
export const workflowCallSchema = z.object({
  callbackId: z.string().min(1).max(300),
  origin: z.object({ portalId: idText }),
  context: z.object({ workflowId: idText.optional() }).optional(),
  object: z.object({
    objectId: idText,
    objectType: z.string().optional(),
    properties: z.record(z.string(), propertyValue).default({}),
  }),
  inputFields: z.record(z.string(), z.unknown()).default({}),
});
export type WorkflowCall = z.infer<typeof workflowCallSchema>;

/** What an execution keeps of its call until it is done (a deferred job needs it). */
export const storedRequestSchema = z.object({
  inputFields: z.record(z.string(), z.unknown()),
  properties: z.record(z.string(), z.string().nullable()),
});
export type StoredRequest = z.infer<typeof storedRequestSchema>;

/** The options URL call (unconfirmed shape: see hubspot-facts.md). */
export const listOptionsRequestSchema = z.object({
  origin: z.object({ portalId: idText }),
  inputFieldName: z.string().optional(),
  fetchOptions: z
    .object({
      q: z.string().max(200).nullable().optional(),
      after: z.string().max(20).nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type ListOptionsRequest = z.infer<typeof listOptionsRequestSchema>;

export type OutputFields = Record<string, string>;
export const outputFieldsSchema = z.record(z.string(), z.string());

/** A list as stored on a contact link (`contact_links.lists`). */
export const linkedListsSchema = z.array(z.object({ id: z.string(), name: z.string() }));
export type LinkedList = z.infer<typeof linkedListsSchema>[number];
