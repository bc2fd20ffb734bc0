/**
 * The playground's one channel: an in-memory list of messages with increasing ids, and
 * long-polling readers waiting for the next one. Old messages fall off the front once the
 * list holds `maxMessages`; a reader that asks for ids after the newest (the server
 * restarted under it) is told to start again.
 */
import type { ReplyButton, ReplyForm, ReplySection } from '../../reply/reply.ts';

/** A chart as the page shows it: an image URL of this server, its summary as alt text. */
export interface ChartImage {
  url: string;
  alt: string;
  kind: string;
}

/** Who wrote a message: the person at the keyboard, the bot, or a tracker webhook. */
export type MessageAuthor = 'you' | 'bot' | 'tracker';

/** What a message is: a typed command, the bot's answer, a nudge the bot posted on its own, a tracker transition, or a notice. */
export type MessageKind = 'command' | 'reply' | 'nudge' | 'transition' | 'notice';

/** One message of the channel, as the page receives it (JSON). */
export interface PlaygroundMessage {
  id: number;
  /** epoch ms */
  at: number;
  author: MessageAuthor;
  /** the name shown next to the message (flow-nudge, You, Jira…) */
  name: string;
  kind: MessageKind;
  text: string;
  sections?: ReplySection[];
  /** the chart as an image URL of this server, its summary as alt text */
  chart?: ChartImage;
  /** further charts after the first (the weekly check-in attaches several) */
  moreCharts?: ChartImage[];
  buttons?: ReplyButton[];
  ephemeral?: boolean;
  /** the fix of a refusal or error, shown under it */
  fix?: string;
  /** a form the page opens at once (only meaningful right after the command that asked for it) */
  form?: ReplyForm;
  /** e.g. "Weekly check-in" or "XmR signal": a label above a nudge */
  label?: string;
}

export type NewMessage = Omit<PlaygroundMessage, 'id' | 'at'>;

/** What a reader gets: the messages after its id, the newest id, and whether it must drop what it shows. */
export interface MessagesPage {
  messages: PlaygroundMessage[];
  last: number;
  /** true when the reader's id is unknown (the server restarted): replace everything shown with `messages` */
  reset: boolean;
}

export interface ChannelLog {
  append(message: NewMessage): PlaygroundMessage;
  /** messages after `after`, at once */
  after(after: number): MessagesPage;
  /** messages after `after`; waits up to `waitMs` for one when there is none yet */
  waitAfter(after: number, waitMs: number): Promise<MessagesPage>;
  size(): number;
  /** the newest id (0 before the first message) */
  lastId(): number;
  /** answers every waiting reader now (server shutting down) */
  close(): void;
}

export function createChannelLog(options: { clock: () => number; maxMessages?: number }): ChannelLog {
  const max = options.maxMessages ?? 500;
  const messages: PlaygroundMessage[] = [];
  let lastId = 0;
  let waiters: (() => void)[] = [];
  let closed = false;

  function after(afterId: number): MessagesPage {
    if (afterId > lastId) return { messages: [...messages], last: lastId, reset: true };
    return { messages: messages.filter((m) => m.id > afterId), last: lastId, reset: false };
  }

  function wakeAll(): void {
    const waiting = waiters;
    waiters = [];
    for (const wake of waiting) wake();
  }

  return {
    append(message) {
      const stored: PlaygroundMessage = { id: ++lastId, at: options.clock(), ...message };
      messages.push(stored);
      if (messages.length > max) messages.splice(0, messages.length - max);
      wakeAll();
      return stored;
    },
    after,
    async waitAfter(afterId, waitMs) {
      const now = after(afterId);
      if (now.messages.length > 0 || now.reset || waitMs <= 0 || closed) return now;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== wake);
          resolve();
        }, waitMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(wake);
      });
      return after(afterId);
    },
    size: () => messages.length,
    lastId: () => lastId,
    close() {
      closed = true;
      wakeAll();
    },
  };
}
