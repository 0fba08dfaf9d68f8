import { z } from 'zod';

const id = z.union([z.string(), z.number()]).transform(String);
const ids = z.array(id).catch([]);

// Tolerant: labelled answers name `fromObjectId`/`toObjectId`, default ones `from.id`/`to.id`.
const answerSchema = z.object({
  results: z
    .array(
      z.object({
        fromObjectId: id.optional().catch(undefined),
        toObjectId: id.optional().catch(undefined),
        from: z.object({ id }).optional().catch(undefined),
        to: z.object({ id }).optional().catch(undefined),
      }),
    )
    .catch([]),
  errors: z
    .array(
      z.object({
        message: z.string().nullish().catch(null),
        context: z.record(z.string(), ids).nullish().catch(null),
      }),
    )
    .nullish()
    .catch(null),
});

export interface AssociationInput {
  fromId: string;
  toId: string;
}

/**
 * Which inputs of a batch association HubSpot refused (its answer is multi-status): input index →
 * HubSpot's reason. With no errors every input landed; with errors, an input landed only if the
 * results name it.
 */
export function refusedAssociations(answer: unknown, inputs: AssociationInput[]): Map<number, string> {
  const parsed = answerSchema.safeParse(answer ?? {});
  const refused = new Map<number, string>();
  if (!parsed.success || !parsed.data.errors?.length) return refused;
  const { results, errors } = parsed.data;
  const landed = new Set(results.map((r) => `${r.fromObjectId ?? r.from?.id}|${r.toObjectId ?? r.to?.id}`));
  inputs.forEach((input, index) => {
    if (landed.has(`${input.fromId}|${input.toId}`)) return;
    const error = errors.find(
      (e) =>
        (e.context?.fromObjectId ?? []).includes(input.fromId) &&
        (e.context?.toObjectId?.includes(input.toId) ?? true),
    );
    refused.set(index, error?.message ?? errors[0]?.message ?? 'HubSpot did not confirm this association');
  });
  return refused;
}
