/**
 * Ordered shutdown under a hard timeout: stop accepting requests, stop taking jobs (the one in
 * flight finishes), close the control socket, close the database. Steps run in order.
 */
import type { Logger } from './logger';

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export class Lifecycle {
  private readonly steps: ShutdownStep[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly logger: Logger, private readonly timeoutMs: number) {}

  /** Steps run in the order they were added. */
  onShutdown(name: string, run: () => Promise<void>) {
    this.steps.push({ name, run });
  }

  shutdown(reason: string): Promise<void> {
    this.closing ??= (async () => {
      this.logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        this.logger.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out, exiting');
        process.exit(1);
      }, this.timeoutMs);
      timer.unref();
      for (const step of this.steps) {
        try {
          await step.run();
        } catch (err) {
          this.logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      this.logger.info('stopped');
    })();
    return this.closing;
  }
}
