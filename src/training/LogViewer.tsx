import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import { APIError } from '../api';
import { describeError } from '../errors';
import { JobId, fetchFullLog, trainingApi } from './api';

const POLL_MS = 1000;
/** Lines the viewer keeps; older ones are dropped (the full log is a download). */
export const MAX_LOG_LINES = 10_000;
/** Lines of the first read, the log's last ones. */
export const TAIL_LINES = 500;

/**
 * Follows a version's log like `tail -f`: its last lines first, then what was
 * written since the last read, every second, until the version has ended and
 * nothing more comes. The line API (TJ-13) is used first; where it is not
 * offered, the byte API (TJ-11). At most MAX_LOG_LINES are kept, so a log of
 * any size costs the page the same memory.
 */
export class LogFollower {
  constructor(
    readonly jobId: JobId,
    readonly versionId: number
  ) {}

  readonly changed = new Signal<this, void>(this);
  lines: string[] = [];
  /** Whether older lines were dropped, or never read (the log's start). */
  truncated = false;
  status = '';
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

  private async _tick(): Promise<void> {
    if (!this.following) {
      return;
    }
    let more = false;
    let ended = false;
    try {
      if (this._api === 'lines') {
        const first = this._baseLine === null;
        const chunk = await trainingApi.log(
          this.jobId,
          this.versionId,
          first
            ? { api: 'lines', lines: TAIL_LINES }
            : { api: 'lines', base_line: this._baseLine ?? undefined }
        );
        if (first && (chunk.lines ?? 0) >= TAIL_LINES) {
          this.truncated = true; // the log has lines before its last TAIL_LINES
        }
        this._append(chunk.content);
        this._baseLine = chunk.end_line ?? this._baseLine;
        more = (chunk.lines ?? 0) > 0;
        ended = chunk.terminal;
        this.status = chunk.status_name;
      } else {
        const chunk = await trainingApi.log(this.jobId, this.versionId, {
          api: 'bytes',
          start_byte: this._startByte
        });
        this._append(chunk.content);
        this._startByte = chunk.end_byte ?? this._startByte;
        more = chunk.content.length > 0;
        ended = chunk.terminal;
        this.status = chunk.status_name;
      }
      this.error = null;
    } catch (error) {
      if (
        this._api === 'lines' &&
        error instanceof APIError &&
        error.status === 404
      ) {
        this._api = 'bytes';
        more = true;
      } else {
        this.error = error;
      }
    }
    if (ended && !more) {
      this.following = false;
    }
    this.changed.emit();
    if (this.following) {
      this._timer = window.setTimeout(
        () => void this._tick(),
        more ? 0 : POLL_MS
      );
    }
  }

  private _append(content: string): void {
    if (!content) {
      return;
    }
    const added = content.split('\n');
    if (added[added.length - 1] === '') {
      added.pop();
    }
    this.lines.push(...added);
    if (this.lines.length > MAX_LOG_LINES) {
      this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
      this.truncated = true;
    }
  }

  private _api: 'lines' | 'bytes' = 'lines';
  /** Null until the first read, which asks for the last lines. */
  private _baseLine: string | null = null;
  private _startByte = 0;
  private _timer = 0;
}

function LogView(props: {
  follower: LogFollower;
  trans: TranslationBundle;
}): JSX.Element {
  const { follower, trans } = props;
  const [, setTick] = React.useState(0);
  const [search, setSearch] = React.useState('');
  const bottom = React.useRef<HTMLPreElement>(null);
  React.useEffect(() => {
    const onChange = () => setTick(t => t + 1);
    follower.changed.connect(onChange);
    return () => {
      follower.changed.disconnect(onChange);
    };
  }, [follower]);
  React.useEffect(() => {
    if (!search && bottom.current) {
      bottom.current.scrollTop = bottom.current.scrollHeight;
    }
  });
  const lines = follower.lines;
  const shown = search
    ? lines.filter(line => line.toLowerCase().includes(search.toLowerCase()))
    : lines;
  const download = async () => {
    const blob = await fetchFullLog(follower.jobId, follower.versionId);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `training-${follower.jobId}-${follower.versionId}.log`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <div className="jp-ModelArts-logViewer">
      <div className="jp-ModelArts-logToolbar">
        <input
          className="jp-mod-styled"
          type="search"
          placeholder={trans.__('Search the log')}
          value={search}
          onChange={event => setSearch(event.target.value)}
        />
        <span className="jp-ModelArts-logState">
          {follower.following
            ? trans.__('Following (%1)', follower.status || '…')
            : trans.__('Ended (%1)', follower.status)}
        </span>
        <button className="jp-mod-styled" onClick={() => void download()}>
          {trans.__('Download full log')}
        </button>
      </div>
      {follower.truncated && (
        <p className="jp-ModelArts-logNote">
          {trans.__(
            'Showing the last lines of the log (at most %1); download the full log for the rest.',
            MAX_LOG_LINES
          )}
        </p>
      )}
      {follower.error !== null && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {describeError(follower.error, trans)}
        </p>
      )}
      <pre ref={bottom} className="jp-ModelArts-logText">
        {shown.join('\n')}
      </pre>
    </div>
  );
}

/** `V0003`: how ModelArts names version 3 of a job. */
export function versionName(number: number): string {
  return `V${String(number).padStart(4, '0')}`;
}

/** A log tab's title: the job and the version, so two versions' tabs differ. */
export function logTitle(
  jobName: string | null | undefined,
  version: string | null | undefined
): string {
  return [jobName ?? '', version ?? ''].filter(Boolean).join(' ');
}

/** A main-area tab with a version's log; it stops following when closed. */
export function createLogViewer(
  jobId: JobId,
  versionId: number,
  title: string,
  trans: TranslationBundle
): MainAreaWidget {
  const follower = new LogFollower(jobId, versionId);
  const content = ReactWidget.create(
    <LogView follower={follower} trans={trans} />
  );
  const widget = new MainAreaWidget({ content });
  widget.id = `modelarts-log-${jobId}-${versionId}`;
  widget.title.label = trans.__('Log: %1', title);
  widget.title.closable = true;
  widget.disposed.connect(() => follower.dispose());
  follower.start();
  return widget;
}
