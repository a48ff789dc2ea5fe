/** A job the process runs on a schedule. */
export interface Scheduled {
  /** No further runs; waits for a run under way (so its transaction finishes). */
  stop(): Promise<void>;
}

/**
 * Runs `job` every `intervalMs`, the first time after `firstMs`, never two runs at once (a run
 * that is due while one is under way is skipped). Errors go to `failed`; the schedule goes on.
 * The timers don't keep the process alive.
 */
export function every(intervalMs: number, job: () => Promise<void>, failed: (error: unknown) => void, firstMs = Math.min(intervalMs, 10_000)): Scheduled {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = job()
      .catch(failed)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const first = setTimeout(tick, firstMs);
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
