import type { AmqpFaultState } from './amqp/server.js';
import type { EmulatorFaults } from './emulator-types.js';

/** What the fault switches act on. */
export interface FaultTarget {
  /** Drops every AMQP connection with `amqp:connection:forced`. */
  disconnectAll(): void;
  /** Pauses (true) or resumes (false) the AMQP side. */
  setPaused(paused: boolean): void;
  /** Lets every partition receiver deliver what it holds (after a hold of deliveries ends). */
  pumpAll(): void;
}

/**
 * Fault injection for recovery tests, shared by the in-process API and `POST /_emulator/faults`. Durations are in ms;
 * a new reject-auth, stall or hold-deliveries replaces a running one of the same type.
 */
export class FaultSwitches implements EmulatorFaults, AmqpFaultState {
  private rejectUntil = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private target: FaultTarget | undefined;

  /** Connects the switches to the AMQP server they act on. */
  bind(target: FaultTarget): void {
    this.target = target;
  }

  disconnect(): void {
    this.target?.disconnectAll();
  }

  rejectAuth(ms: number): void {
    this.rejectUntil = Date.now() + ms;
  }

  stall(ms: number): void {
    if (!this.target) return;
    clearTimeout(this.stallTimer);
    this.target?.setPaused(true);
    this.stallTimer = setTimeout(() => this.endStall(), ms);
  }

  holdDeliveries(ms: number): void {
    if (!this.target) return;
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.endHold(), ms);
  }

  /** @internal AMQP side: whether put-token must answer 401 now. */
  isAuthRejected(): boolean {
    return Date.now() < this.rejectUntil;
  }

  /** @internal AMQP side: whether a stall is on. */
  isStalled(): boolean {
    return this.stallTimer !== undefined;
  }

  /** @internal AMQP side: whether partition receivers must hold their deliveries back. */
  isDeliveryHeld(): boolean {
    return this.holdTimer !== undefined;
  }

  /** Ends any running stall or hold and forgets the target (emulator close); later faults do nothing. */
  close(): void {
    if (this.stallTimer) this.endStall();
    if (this.holdTimer) this.endHold();
    this.target = undefined;
  }

  private endHold(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.target?.pumpAll();
  }

  private endStall(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.target?.setPaused(false);
  }
}
