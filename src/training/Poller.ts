import { Signal } from '@lumino/signaling';
import * as React from 'react';

/**
 * Reads a job's state again and again until it has ended: each `read` says
 * how soon to read next, or null when nothing more will come. A failed read
 * is kept in `error` and tried again after `pollMs`. Views redraw on `changed`.
 */
export abstract class Poller {
  readonly changed = new Signal<this, void>(this);
  following = true;
  error: unknown = null;

  start(): void {
    void this._tick();
  }

  dispose(): void {
    this.following = false;
    window.clearTimeout(this._timer);
    Signal.clearData(this);
  }

  /** Milliseconds between reads that found nothing new. */
  protected abstract readonly pollMs: number;

  /** One read: milliseconds until the next, or null once the job has ended. */
  protected abstract read(): Promise<number | null>;

  private async _tick(): Promise<void> {
    if (!this.following) {
      return;
    }
    let next: number | null;
    try {
      next = await this.read();
    } catch (error) {
      this.error = error;
      next = this.pollMs;
    }
    if (next === null) {
      this.following = false;
    }
    this.changed.emit();
    if (this.following) {
      this._timer = window.setTimeout(() => void this._tick(), next ?? 0);
    }
  }

  private _timer = 0;
}

/** Redraws the calling component whenever `poller` has read again. */
export function useRedrawOnRead(poller: Poller): void {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChange = () => setTick(t => t + 1);
    poller.changed.connect(onChange);
    return () => {
      poller.changed.disconnect(onChange);
    };
  }, [poller]);
}
