import { drawFault, drawLatencyMs, type FaultDecision } from '../../../../core/sandbox/faults';
import { createRandom, type Random } from '../../../../core/sandbox/rng';
import type { FaultConfig } from '../../../../core/sandbox/types';

const ROUTE = 'POST /api/v2/outbound/contactlists/{id}/contacts';

/**
 * The Sandbox's fault pipeline for a fake-clock upload, in the order core/sandbox/api-pipeline.ts
 * applies it: an expired token is refused (401) before the rate limits, so it spends no budget;
 * 5xx, resets, timeouts and commit-then-drop are drawn only for requests the limits admitted, so
 * each of them spent a slot of every layer. Draws come from a generator of its own, so a cell
 * without faults draws nothing and runs exactly as before.
 */
export class SimulatedFaults {
  private readonly random: Random;
  /** The token the client sends (a new one after each refresh). */
  private clientToken = 0;
  /** Tokens up to this one are revoked on the server. */
  private revokedUpTo = -1;
  private usesOfLatest = 0;
  private latestToken = 0;

  constructor(
    private readonly faults: FaultConfig,
    seed: number,
  ) {
    this.random = createRandom(seed * 7919 + 3);
  }

  /** The token a request leaves with. */
  token(): number {
    return this.clientToken;
  }

  /** Whether the server refuses `token` as expired (before any limit counts the request). */
  expired(token: number): boolean {
    const after = this.faults.tokenExpiresAfterRequests;
    if (after <= 0) return false;
    if (token <= this.revokedUpTo) return true;
    if (token !== this.latestToken) {
      this.latestToken = token;
      this.usesOfLatest = 0;
    }
    this.usesOfLatest += 1;
    if (this.usesOfLatest <= after) return false;
    this.revokedUpTo = token;
    return true;
  }

  /** The client saw a 401 for `token`: it drops it and fetches a new one (once for all in flight). */
  refresh(token: number): void {
    if (token === this.clientToken) this.clientToken += 1;
  }

  /** What happens to an admitted request, and the latency the Sandbox adds to it. */
  admitted(): { fault: FaultDecision; extraLatencyMs: number } {
    const fault = drawFault(this.faults, ROUTE, this.random);
    return { fault, extraLatencyMs: drawLatencyMs(this.faults, this.random) };
  }

  /** A draw in [0, 1) for the client's retry jitter. */
  draw(): number {
    return this.random();
  }
}
