import type { EventName, EventOf } from '../contract';

type AnyListener = (event: EventName, payload: unknown) => void;

/**
 * The services' one-way push channel. Each shell subscribes once and forwards every event to
 * its renderer(s); services only call `emit`.
 */
export class EventBus {
  private readonly listeners = new Set<AnyListener>();

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: AnyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
