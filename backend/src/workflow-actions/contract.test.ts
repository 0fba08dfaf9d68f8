import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { FAILURE_MESSAGES } from './failures.ts';
import { WORKFLOW_ACTION_PATHS } from './routes.ts';
import {
  DECLARED_OUTPUTS,
  ACTION_RESULTS,
  REMOVE_SCOPES,
  REQUESTED_PROPERTIES,
  addToListInputsSchema,
  removeFromListInputsSchema,
} from './schemas.ts';

// The `*-hsmeta.json` files are a contract with these handlers: names, option values, URLs.

// The release origin (release.json, written into config.ts by npm run project:set-origin).
const BACKEND_ORIGIN = (
  JSON.parse(readFileSync(new URL('../../../release.json', import.meta.url), 'utf8')) as {
    origin: string;
  }
).origin;
const folder = new URL('../../../hubspot-project/app/workflow-actions/', import.meta.url);

const field = z.object({
  typeDefinition: z.object({
    name: z.string(),
    type: z.string(),
    fieldType: z.string(),
    options: z.array(z.object({ label: z.string().min(1), value: z.string() })).optional(),
    optionsUrl: z.string().optional(),
  }),
  supportedValueTypes: z.array(z.string()),
  isRequired: z.boolean().optional(),
});
const hsmeta = z.object({
  uid: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  type: z.literal('workflow-action'),
  config: z.object({
    actionUrl: z.string().url(),
    isPublished: z.boolean(),
    supportedClients: z.array(z.object({ client: z.literal('WORKFLOWS') })),
    objectTypes: z.array(z.literal('CONTACT')),
    objectRequestOptions: z.object({ properties: z.array(z.string()) }),
    inputFields: z.array(field),
    // Output fields take a typeDefinition only (supportedValueTypes belongs to input fields).
    outputFields: z.array(z.strictObject({ typeDefinition: field.shape.typeDefinition })),
    inputFieldDependencies: z
      .array(
        z.object({
          dependencyType: z.string(),
          controllingFieldName: z.string(),
          controllingFieldValue: z.string().optional(),
          dependentFieldNames: z.array(z.string()),
        }),
      )
      .optional(),
    executionRules: z.array(
      z.object({ labelName: z.string(), conditions: z.record(z.string(), z.string()) }),
    ),
    labels: z.object({
      en: z.object({
        actionName: z.string().min(1),
        actionDescription: z.string().min(1),
        actionCardContent: z.string().min(1),
        inputFieldLabels: z.record(z.string(), z.string().min(1)),
        inputFieldDescriptions: z.record(z.string(), z.string().min(1)),
        outputFieldLabels: z.record(z.string(), z.string().min(1)),
        executionRules: z.record(z.string(), z.string().min(1)),
      }),
    }),
  }),
});

const load = (name: string) => hsmeta.parse(JSON.parse(readFileSync(new URL(name, folder), 'utf8')));
const actions = [
  {
    file: 'add-to-dialer-list-hsmeta.json',
    schema: addToListInputsSchema,
    path: WORKFLOW_ACTION_PATHS.addToList,
  },
  {
    file: 'remove-from-dialer-list-hsmeta.json',
    schema: removeFromListInputsSchema,
    path: WORKFLOW_ACTION_PATHS.removeFromList,
  },
] as const;

describe.each(actions)('$file', ({ file, schema, path }) => {
  const meta = load(file);
  const inputs = meta.config.inputFields;
  const byName = (name: string) => inputs.find((input) => input.typeDefinition.name === name)!;

  it('names exactly the inputs the handler’s schema knows, with labels and descriptions', () => {
    const names = inputs.map((input) => input.typeDefinition.name);
    expect(names.sort()).toEqual(Object.keys(schema.shape).sort());
    expect(Object.keys(meta.config.labels.en.inputFieldLabels).sort()).toEqual(names.sort());
    expect(Object.keys(meta.config.labels.en.inputFieldDescriptions).sort()).toEqual(names.sort());
  });

  it('offers only option values the schema accepts, and marks required what the schema requires', () => {
    const valid: Record<string, string> = file.startsWith('add') ? { list: 'lst_1' } : { scope: 'all_lists' };
    for (const input of inputs) {
      const { name, options } = input.typeDefinition;
      for (const option of options ?? []) {
        const parsed = schema.safeParse({ ...valid, list: 'lst_1', [name]: option.value });
        expect(parsed.success, `${name}=${option.value}`).toBe(true);
      }
      const { [name]: _omitted, ...without } = valid;
      const required = !schema.safeParse(without).success;
      if (name !== 'list' || file.startsWith('add')) expect(input.isRequired ?? false, name).toBe(required);
    }
    if (file.startsWith('remove')) {
      expect(byName('scope').typeDefinition.options!.map((o) => o.value)).toEqual([...REMOVE_SCOPES]);
      expect(schema.safeParse({ scope: 'one_list' }).success).toBe(false);
      expect(meta.config.inputFieldDependencies).toEqual([
        {
          dependencyType: 'CONDITIONAL_SINGLE_FIELD',
          controllingFieldName: 'scope',
          controllingFieldValue: 'one_list',
          dependentFieldNames: ['list'],
        },
      ]);
    }
  });

  it('points its URLs at the backend origin and at routes the router serves', () => {
    const action = new URL(meta.config.actionUrl);
    expect(action.origin).toBe(BACKEND_ORIGIN);
    expect(action.pathname).toBe(path);
    const list = byName('list').typeDefinition;
    expect(list).toMatchObject({ type: 'enumeration', fieldType: 'select' });
    expect(new URL(list.optionsUrl!).origin).toBe(BACKEND_ORIGIN);
    expect(new URL(list.optionsUrl!).pathname).toBe(WORKFLOW_ACTION_PATHS.listOptions);
  });

  it('asks for the contact properties the handler reads and declares its outputs', () => {
    expect(meta.config.objectRequestOptions.properties).toEqual([...REQUESTED_PROPERTIES]);
    expect(meta.config.outputFields.map((o) => o.typeDefinition.name)).toEqual([...DECLARED_OUTPUTS]);
    const results = meta.config.outputFields[0]!.typeDefinition.options!.map((o) => o.value);
    for (const result of results) expect(ACTION_RESULTS).toContain(result);
    expect(Object.keys(meta.config.labels.en.outputFieldLabels)).toEqual([...DECLARED_OUTPUTS]);
  });

  it('turns every failure code into its readable message (executionRules)', () => {
    const rules = meta.config.executionRules;
    expect(rules.map((rule) => rule.conditions.error_code).sort()).toEqual(
      Object.keys(FAILURE_MESSAGES).sort(),
    );
    for (const rule of rules) {
      const code = rule.conditions.error_code as keyof typeof FAILURE_MESSAGES;
      expect(meta.config.labels.en.executionRules[rule.labelName]).toBe(FAILURE_MESSAGES[code]);
    }
  });
});

describe('the routes behind the URLs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ workers: false });
  });
  afterAll(() => app.stop());

  it('every result value is offered by one of the two actions', () => {
    const offered = actions.flatMap(({ file }) =>
      load(file).config.outputFields[0]!.typeDefinition.options!.map((o) => o.value),
    );
    expect(offered.sort()).toEqual([...ACTION_RESULTS].sort());
  });

  it.each(Object.values(WORKFLOW_ACTION_PATHS))('%s exists and wants a HubSpot signature', async (path) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
  });
});
