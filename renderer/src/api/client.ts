import {
  ContractError,
  type ChannelName,
  type EventName,
  type EventOf,
  type RequestOf,
  type ResponseOf,
  type SluiceApi,
  type SluiceBridge,
} from '../../../core/contract';

/**
 * Wraps a shell's raw bridge into the typed API the screens use: a failed call throws a
 * ContractError with the service's message, so screens show it as-is.
 */
export function createApi(bridge: SluiceBridge): SluiceApi {
  return {
    async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      const result = await bridge.call(channel, request);
      if (result.ok) return result.value as ResponseOf<C>;
      throw new ContractError(result.error.code, result.error.message, result.error.detail);
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      return bridge.subscribe((name, payload) => {
        if (name === event) listener(payload as EventOf<E>);
      });
    },
  };
}
