import fc from 'fast-check';
import {
  FIELDS,
  INITIAL,
  collectHubSpot,
  deliverDialer,
  deliverHubSpot,
  fieldArb,
  newRun,
  quiesce,
  userEdit,
  type Edit,
  type Model,
  type World,
  type startWorld,
} from './sync-model-harness.ts';

// The commands of the model-based test and the checks after quiescence.

type Cmd = fc.AsyncCommand<Model, World>;
const CONTACTS = '/crm/objects/2026-03/contacts/batch/update';

class UserEdit implements Cmd {
  constructor(
    readonly edit: Edit,
    readonly stepMs: number,
  ) {}
  check = () => true;
  async run(model: Model, world: World) {
    userEdit(world, model, this.edit, this.stepMs);
  }
  toString = () => `${this.edit.side}.${this.edit.field}=${this.edit.value}(+${this.stepMs}ms)`;
}

/** Delivers one pending webhook/event (the index picks which: reordering); `again` keeps it pending (a duplicate). */
class Deliver implements Cmd {
  constructor(
    readonly side: 'hubspot' | 'dialer',
    readonly index: number,
    readonly again: boolean,
  ) {}
  check = () => true;
  async run(_model: Model, world: World) {
    collectHubSpot(world);
    const queue = this.side === 'hubspot' ? world.pendingHubSpot : world.pendingDialer;
    if (queue.length === 0) return;
    const i = this.index % queue.length;
    const [item] = this.again ? [queue[i]] : queue.splice(i, 1);
    if (this.side === 'hubspot') await deliverHubSpot(world, item as World['pendingHubSpot'][number]);
    else deliverDialer(world, item as World['pendingDialer'][number]);
  }
  toString = () => `deliver(${this.side}#${this.index}${this.again ? ', again' : ''})`;
}

/** The next write to one side is performed but its answer is lost (502, or the connection dropped: a killed worker). */
class LoseAnswer implements Cmd {
  constructor(
    readonly side: 'hubspot' | 'dialer',
    readonly status: 0 | 502,
  ) {}
  check = () => true;
  async run(_model: Model, world: World) {
    world.lostAnswers++;
    if (this.side === 'hubspot')
      world.app.hubspot.failNext(1, { status: this.status, afterHandling: true, pathPrefix: CONTACTS });
    else
      world.app.dialer.failNext(1, {
        status: this.status,
        afterHandling: true,
        method: 'PUT',
        pathPrefix: '/contacts/',
      });
  }
  toString = () => `lose(${this.side}, ${this.status})`;
}

const editArb = fieldArb.chain((field) => {
  const f = FIELDS[field]!;
  const sides = [
    ...(f.direction !== 'dialer_to_hubspot' ? (['hubspot'] as const) : []),
    ...(['dialer'] as const),
  ];
  return fc.record({
    side: fc.constantFrom(...sides),
    field: fc.constant(field),
    value: fc.constantFrom(...f.values),
  });
});

const editCmd = fc
  .tuple(editArb, fc.integer({ min: 0, max: 1_500 }))
  .map(([edit, step]) => new UserEdit(edit, step));

export const commandsArb = (maxCommands: number) =>
  fc.commands(
    [
      editCmd,
      editCmd, // edits weigh more: most runs have a few
      editCmd,
      fc
        .tuple(fc.constantFrom('hubspot' as const, 'dialer' as const), fc.nat(5), fc.boolean())
        .map(([side, i, again]) => new Deliver(side, i, again)),
      fc
        .tuple(
          fc.constantFrom('hubspot' as const, 'dialer' as const),
          fc.constantFrom(0 as const, 502 as const),
        )
        .map(([side, status]) => new LoseAnswer(side, status)),
    ],
    { maxCommands },
  );

/** What each side must hold at the end: the later edit wins; a one-way field keeps the target's own later edit. */
export function expected(model: Model, field: string, side: 'hubspot' | 'dialer'): string | undefined {
  const f = FIELDS[field]!;
  const edits = model.edits.filter((e) => e.field === field);
  const movesFrom = (s: 'hubspot' | 'dialer') =>
    f.direction === 'both' ||
    (s === 'hubspot' ? f.direction === 'hubspot_to_dialer' : f.direction === 'dialer_to_hubspot');
  const relevant = edits.filter((e) => e.side === side || movesFrom(e.side));
  return relevant.at(-1)?.value ?? INITIAL[field];
}

export interface RunStats {
  writes: number;
  edits: number;
  rounds: number;
}

/** One interleaving: the commands, then quiescence, then the checks (throws on a violation). */
export async function runInterleaving(
  base: Awaited<ReturnType<typeof startWorld>>,
  seq: number,
  cmds: Iterable<Cmd>,
): Promise<RunStats> {
  const world = await newRun(base, seq);
  const model: Model = { edits: [] };
  const before = writesOf(world);
  await fc.asyncModelRun(() => ({ model, real: world }), cmds);
  const rounds = await quiesce(world);
  checkFinal(world, model);
  const writes = writesOf(world) - before;
  const bound = 4 * (model.edits.length + world.lostAnswers) + 2;
  if (writes > bound)
    throw new Error(`${writes} writes for ${model.edits.length} edits: more than ${bound} (a loop?)`);
  return { writes, edits: model.edits.length, rounds };
}

const dialerPuts = (world: World) =>
  world.app.dialer
    .requestsTo('PUT', '/v1/contacts/')
    .filter((r) => r.path === `/v1/contacts/${world.contactId}`);

function writesOf(world: World): number {
  const hubspot = world.app.hubspot
    .requestsTo('POST', CONTACTS)
    .filter((r) => JSON.stringify(r.body).includes(`"${world.contactId}"`)).length;
  return hubspot + dialerPuts(world).length;
}

function checkFinal(world: World, model: Model): void {
  const hubspot = world.setup.portal.contact(world.contactId)!.properties;
  const dialer = world.app.dialer.contact(world.setup.account.id, world.contactId)!;
  for (const [name, f] of Object.entries(FIELDS)) {
    const onHubSpot = expected(model, name, 'hubspot');
    const onDialer = expected(model, name, 'dialer');
    const dialerValue = typeof dialer[f.dialer] === 'boolean' ? String(dialer[f.dialer]) : dialer[f.dialer];
    if (onHubSpot !== undefined && hubspot[f.hubspot] !== onHubSpot)
      throw new Error(`${name}: HubSpot holds ${hubspot[f.hubspot]}, expected ${onHubSpot}`);
    if (onDialer !== undefined && dialerValue !== onDialer)
      throw new Error(`${name}: Dialer.io holds ${String(dialerValue)}, expected ${onDialer}`);
  }
  // Never against the mapped direction: HubSpot is never written lastname, Dialer.io never dnc.
  const wrongWay =
    world.app.hubspot
      .requestsTo('POST', CONTACTS)
      .some(
        (r) =>
          JSON.stringify(r.body).includes(`"${world.contactId}"`) &&
          JSON.stringify(r.body).includes('"lastname"'),
      ) || dialerPuts(world).some((r) => 'dnc' in (r.body as object));
  if (wrongWay) throw new Error('a field moved against its mapped direction');
  // No duplicates: one contact per side with this email.
  const email = hubspot.email;
  const copies = world.setup.portal.contacts.filter((c) => c.properties.email === email).length;
  if (copies !== 1) throw new Error(`${copies} HubSpot contacts with ${email}`);
  const dialerCopies = world.app.dialer
    .account(world.setup.account.id)
    .contacts.filter((c) => c.email === dialer.email).length;
  if (dialerCopies !== 1) throw new Error(`${dialerCopies} Dialer.io contacts with ${dialer.email}`);
}
