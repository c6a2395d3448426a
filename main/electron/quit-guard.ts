// Quitting while runs train: ask first, then stop every run cleanly (each
// worker sends its last snapshot, which is stored) and close the database
// before the app really quits, so nothing trained is lost. Written over
// plain callbacks so the sequence can be tested without Electron.

export interface QuitGuardOptions {
  /** Runs training, paused or queued right now. */
  busyRuns(): number;
  /** Ask whether to stop them and quit; true to go ahead. */
  confirm(runs: number): Promise<boolean>;
  /** Stop every run cleanly and close the database. */
  shutdown(): Promise<void>;
  /** Quit for real: app.quit(), whose 'before-quit' comes back here and is let through. */
  quit(): void;
  report(error: unknown): void;
}

type Phase = 'open' | 'asking' | 'stopping' | 'closed';

export class QuitGuard {
  private phase: Phase = 'open';
  private ask = true;

  constructor(private readonly o: QuitGuardOptions) {}

  /** The app's 'before-quit' handler. */
  beforeQuit(event: { preventDefault(): void }): void {
    if (this.phase === 'closed') return;
    event.preventDefault();
    if (this.phase === 'open') void this.run();
  }

  /** Quit without asking (a signal from the terminal), still stopping runs cleanly. */
  quitWithoutAsking(): void {
    this.ask = false;
    if (this.phase === 'open') void this.run();
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  private async run(): Promise<void> {
    this.phase = 'asking';
    try {
      const busy = this.o.busyRuns();
      if (this.ask && busy > 0 && !(await this.o.confirm(busy))) {
        this.phase = 'open';
        return;
      }
    } catch (e) {
      this.o.report(e);
      this.phase = 'open';
      return;
    }
    this.phase = 'stopping';
    try {
      await this.o.shutdown();
    } catch (e) {
      this.o.report(e);
    }
    this.phase = 'closed';
    this.o.quit();
  }
}
