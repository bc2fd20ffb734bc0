/**
 * A deliverer of our own Deliverer interface that records what it was given, and answers
 * from a script (sent by default; a 429 or 5xx when the test says so).
 */
import type { Deliverer, DeliveryMeta, DeliveryOutcome } from '../../../src/nudges/deliverer.ts';
import type { NudgeMessage } from '../../../src/nudges/nudge-payload.ts';
import type { NudgeTarget } from '../../../src/nudges/nudge-target.ts';

export interface Delivered {
  target: NudgeTarget;
  reply: NudgeMessage;
  meta: DeliveryMeta;
  outcome: DeliveryOutcome | 'threw';
}

export class RecordingDeliverer implements Deliverer {
  readonly platform: string;
  readonly calls: Delivered[] = [];
  private readonly script: (DeliveryOutcome | Error)[] = [];

  constructor(platform = 'slack') {
    this.platform = platform;
  }

  /** The next answers, in order; after them every send answers 'sent'. */
  answer(...outcomes: (DeliveryOutcome | Error)[]): this {
    this.script.push(...outcomes);
    return this;
  }

  /** What was sent successfully. */
  get sent(): Delivered[] {
    return this.calls.filter((c) => c.outcome === 'sent');
  }

  async send(target: NudgeTarget, reply: NudgeMessage, meta: DeliveryMeta): Promise<DeliveryOutcome> {
    const next = this.script.shift() ?? 'sent';
    this.calls.push({ target, reply, meta, outcome: next instanceof Error ? 'threw' : next });
    if (next instanceof Error) throw next;
    return next;
  }
}
