import type { DeliveryEngine } from './delivery.ts';
import type { SimState } from './state.ts';

/** `contact.updated` deliveries (`{contact, changed}`) for every change of a contact, as Dialer.io sends them. */
export function emitContactUpdates(state: SimState, engine: DeliveryEngine): void {
  state.onContactChanged = (account, contact, changed) => {
    const event = engine.envelope(account.id, 'contact.updated', {
      contact: state.renderContact(account, contact),
      changed,
    });
    engine.track(engine.deliver(account, event));
  };
}

const emitters = new WeakMap<SimState, SimState['onContactChanged']>();

/** Adds a listener to contact changes (keeping the `contact.updated` deliveries, if on). */
export function watchContactWrites(state: SimState, listener: ((externalId: string) => void) | null): void {
  if (!emitters.has(state)) emitters.set(state, state.onContactChanged);
  const emit = emitters.get(state);
  state.onContactChanged = (account, contact, changed) => {
    emit?.(account, contact, changed);
    listener?.(contact.external_id ?? contact.id);
  };
}
