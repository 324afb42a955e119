import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { APIError } from '../api';
import { describeError } from '../errors';
import { statusLabel } from '../wording';
import {
  ALL_WORKERS,
  JobId,
  TrainingApi,
  fetchFullLog,
  trainingApi
} from './api';
import { JobActivity } from './JobActivity';
import { Poller, useRedrawOnRead } from './Poller';

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
export class LogFollower extends Poller {
  /**
   * `worker`: whose log, a task index or ALL_WORKERS (every worker's lines,
   * each prefixed with its worker; by lines only).
   */
  constructor(
    readonly jobId: JobId,
    readonly versionId: number,
    readonly worker = '0'
  ) {
    super();
  }

  lines: string[] = [];
  /** The version's logs, one per worker (known after the first read). */
  logFiles: string[] = [];
  /** Whether older lines were dropped, or never read (the log's start). */
  truncated = false;
  status = '';

  protected readonly pollMs = POLL_MS;

  protected async read(): Promise<number | null> {
    let more: boolean;
    let ended: boolean;
    try {
      [more, ended] =
        this._api === 'lines'
          ? await this._readLines()
          : await this._readBytes();
    } catch (error) {
      if (
        this._api === 'lines' &&
        error instanceof APIError &&
        error.status === 404
      ) {
        this._api = 'bytes';
        return 0;
      }
      throw error;
    }
    this.error = null;
    if (ended && !more) {
      return null;
    }
    return more ? 0 : POLL_MS;
  }

  /** [whether lines came, whether the version has ended] */
  private async _readLines(): Promise<[boolean, boolean]> {
    const first = this._baseLine === null;
    const chunk = await trainingApi.log(
      this.jobId,
      this.versionId,
      first
        ? { api: 'lines', worker: this.worker, lines: TAIL_LINES }
        : {
            api: 'lines',
            worker: this.worker,
            base_line: this._baseLine ?? undefined
          }
    );
    if (first && (chunk.lines ?? 0) >= TAIL_LINES) {
      this.truncated = true; // the log has lines before its last TAIL_LINES
    }
    this._append(chunk.content);
    this.logFiles = chunk.log_files ?? this.logFiles;
    this._baseLine = chunk.end_line ?? this._baseLine;
    this.status = chunk.status_name;
    return [(chunk.lines ?? 0) > 0, chunk.terminal];
  }

  private async _readBytes(): Promise<[boolean, boolean]> {
    const chunk = await trainingApi.log(this.jobId, this.versionId, {
      api: 'bytes',
      worker: this.worker === ALL_WORKERS ? '0' : this.worker,
      start_byte: this._startByte
    });
    this._append(chunk.content);
    this.logFiles = chunk.log_files ?? this.logFiles;
    this._startByte = chunk.end_byte ?? this._startByte;
    this.status = chunk.status_name;
    return [chunk.content.length > 0, chunk.terminal];
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
}

/** Whose log the viewer follows, when the version has several workers. */
function WorkerPicker(props: {
  follower: LogFollower;
  trans: TranslationBundle;
  onPick: (worker: string) => void;
}): JSX.Element | null {
  const { follower, trans } = props;
  if (follower.logFiles.length < 2) {
    return null;
  }
  return (
    <select
      className="jp-mod-styled"
      aria-label={trans.__('Worker')}
      value={follower.worker}
      onChange={event => props.onPick(event.target.value)}
    >
      {follower.logFiles.map((name, index) => (
        <option key={name} value={String(index)} title={name}>
          {trans.__('Worker %1', index)}
        </option>
      ))}
      <option value={ALL_WORKERS}>{trans.__('All workers')}</option>
    </select>
  );
}

/** Follows one worker's log, or all of them; picking another starts over. */
function WorkerLogView(props: {
  jobId: JobId;
  versionId: number;
  /** On v2, the job's events and the worker's metrics are shown above its log. */
  trainingApi?: TrainingApi;
  trans: TranslationBundle;
  /** Called with each new follower, so its owner can stop the last one. */
  onFollow: (follower: LogFollower) => void;
}): JSX.Element {
  const { jobId, versionId, onFollow } = props;
  const [worker, setWorker] = React.useState('0');
  const follower = React.useMemo(
    () => new LogFollower(jobId, versionId, worker),
    [jobId, versionId, worker]
  );
  React.useEffect(() => {
    onFollow(follower);
    follower.start();
    return () => follower.dispose();
  }, [follower, onFollow]);
  const log = (
    <LogView follower={follower} trans={props.trans} onPick={setWorker} />
  );
  if (props.trainingApi !== 'v2') {
    return log;
  }
  return (
    <div className="jp-ModelArts-logWithActivity">
      <JobActivity
        jobId={jobId}
        worker={worker === ALL_WORKERS ? '0' : worker}
        trans={props.trans}
      />
      {log}
    </div>
  );
}

function LogView(props: {
  follower: LogFollower;
  trans: TranslationBundle;
  onPick: (worker: string) => void;
}): JSX.Element {
  const { follower, trans } = props;
  useRedrawOnRead(follower);
  const [search, setSearch] = React.useState('');
  const bottom = React.useRef<HTMLPreElement>(null);
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
    const blob = await fetchFullLog(
      follower.jobId,
      follower.versionId,
      follower.worker
    );
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `training-${follower.jobId}-${follower.versionId}-worker-${follower.worker}.log`;
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
        <WorkerPicker follower={follower} trans={trans} onPick={props.onPick} />
        <span className="jp-ModelArts-logState">
          {follower.following
            ? trans.__(
                'Following (%1)',
                follower.status ? statusLabel(follower.status, trans) : '…'
              )
            : trans.__('Ended (%1)', statusLabel(follower.status, trans))}
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
  trans: TranslationBundle,
  trainingApi?: TrainingApi
): MainAreaWidget {
  let following: LogFollower | null = null;
  const content = ReactWidget.create(
    <WorkerLogView
      jobId={jobId}
      versionId={versionId}
      trainingApi={trainingApi}
      trans={trans}
      onFollow={follower => {
        following = follower;
      }}
    />
  );
  const widget = new MainAreaWidget({ content });
  widget.id = `modelarts-log-${jobId}-${versionId}`;
  widget.title.label = trans.__('Log: %1', title);
  widget.title.closable = true;
  widget.disposed.connect(() => following?.dispose());
  return widget;
}
