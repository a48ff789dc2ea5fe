import type { FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault, RouteGenericInterface, RouteHandlerMethod } from 'fastify';

// Admission: how many GraphQL requests run at once. The process has one thread; running a few
// requests side by side keeps it busy while others wait on the database, and running more only
// makes each of them slower and holds more memory at once (every page in flight keeps its rows, and
// the garbage collector copies whatever is alive). So at most `active` run; the next `queued` wait
// their turn in order; beyond that, or after waiting `waitMs`, a request is refused at once with
// 503 and Retry-After, so that under overload the server keeps answering, within a bounded memory.

export interface AdmissionLimits {
  /** Requests executing at once. */
  active: number;
  /** Requests waiting for a turn; more are refused. */
  queued: number;
  /** The longest a request waits for its turn before it is refused. */
  waitMs: number;
  /** What a refusal tells the client to wait (Retry-After); by default the wait, at least 1 s. */
  retryAfterSeconds?: number;
}

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
}

export class Admission {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limits: AdmissionLimits) {}

  /** Whether the request may run now or after its wait; false: refuse it. */
  enter(): Promise<boolean> | boolean {
    if (this.running < this.limits.active) {
      this.running += 1;
      return true;
    }
    if (this.waiting.length >= this.limits.queued) return false;
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(true);
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          resolve(false);
        }, this.limits.waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** A request finished: the next in line runs in its place. */
  leave(): void {
    const next = this.waiting.shift();
    if (next) next.admit();
    else this.running -= 1;
  }

  /** Seconds a refused client should wait before it tries again. */
  retryAfterSeconds(): number {
    return this.limits.retryAfterSeconds ?? Math.max(1, Math.ceil(this.limits.waitMs / 1000));
  }

  /** The route handler, run only once admitted (a refusal answers 503 with `refuse`). */
  guard<Route extends RouteGenericInterface>(
    handler: RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Route>,
    refuse: (reply: FastifyReply<Route>, retryAfter: number) => unknown,
  ): RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Route> {
    type Handler = typeof handler;
    const admission = this;
    async function admitted(this: FastifyInstance, request: FastifyRequest<Route>, reply: FastifyReply<Route>) {
      if (!(await admission.enter())) return refuse(reply, admission.retryAfterSeconds());
      try {
        return await handler.call(this, request, reply);
      } finally {
        admission.leave();
      }
    }
    // (the same replies as the handler's, or the refusal)
    return admitted as Handler;
  }
}
