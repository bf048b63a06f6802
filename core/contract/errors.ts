import { z } from 'zod';

/** Why a contract call failed, in terms the UI can branch on. */
export const ContractErrorCode = z.enum([
  'invalid-request',
  'unknown-channel',
  'unauthorized',
  'not-found',
  'conflict',
  /** A path outside the folders the user granted or the files they chose (README, Security). */
  'forbidden-path',
  /** A file the call would write is there already: ask before replacing it. */
  'exists',
  'unavailable',
  /** The consultant cancelled the call while it ran (a whole-file check): nothing to show. */
  'cancelled',
  'internal',
]);
export type ContractErrorCode = z.infer<typeof ContractErrorCode>;

/** The error every channel can answer with: a message for a consultant, detail for the log. */
export const ContractErrorShape = z.object({
  code: ContractErrorCode,
  message: z.string(),
  detail: z.string().optional(),
});
export type ContractErrorShape = z.infer<typeof ContractErrorShape>;

/** Thrown by services (and rethrown by clients) so errors keep their code across transports. */
export class ContractError extends Error {
  readonly code: ContractErrorCode;
  readonly detail: string | undefined;

  constructor(code: ContractErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    this.detail = detail;
  }

  toShape(): ContractErrorShape {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** The envelope a transport carries for one call's result. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };
