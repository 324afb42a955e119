import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { requestAPI } from '../api';
import { describeError } from '../errors';
import { JobId } from './api';
import { Poller, useRedrawOnRead } from './Poller';

/** Milliseconds between two reads while the job runs. */
const POLL_MS = 2000;
/** Events per read (the API's most). */
const EVENTS_PER_READ = 100;

/** An event of a v2 job's life (`GET .../events`). */
export interface IJobEvent {
  /** Epoch milliseconds in a string (Local ModelArts), or the cloud's text. */
  time: string | null;
  level: string | null;
  message: string;
  source: string | null;
}

/** One resource metric of a task: one value a minute, in percent. */
export interface IJobMetric {
  metric: string;
  value: number[];
}

interface IEventsPage {
  total: number | null;
  events: IJobEvent[];
  terminal: boolean;
}

interface IMetricsAnswer {
  task: string;
  metrics: IJobMetric[];
  terminal: boolean;
}

export const activityApi = {
  events: (jobId: JobId, offset: number) =>
    requestAPI<IEventsPage>(
      `training/jobs/${jobId}/events?offset=${offset}&limit=${EVENTS_PER_READ}`
    ),
  metrics: (jobId: JobId, worker: string) =>
    requestAPI<IMetricsAnswer>(
      `training/jobs/${jobId}/metrics?worker=${encodeURIComponent(worker)}`
    )
};

/**
 * Follows a v2 job's events and one task's resource use while the job runs:
 * new events are appended, metrics replaced, every POLL_MS until a read says
 * the job has ended (that read is the last).
 */
export class ActivityFollower extends Poller {
  constructor(
    readonly jobId: JobId,
    readonly worker = '0'
  ) {
    super();
  }

  events: IJobEvent[] = [];
  metrics: IJobMetric[] = [];
  task = '';

  protected readonly pollMs = POLL_MS;

  protected async read(): Promise<number | null> {
    let page: IEventsPage;
    do {
      page = await activityApi.events(this.jobId, this.events.length);
      this.events.push(...page.events);
    } while (page.events.length === EVENTS_PER_READ);
    const usage = await activityApi.metrics(this.jobId, this.worker);
    this.metrics = usage.metrics;
    this.task = usage.task;
    this.error = null;
    return page.terminal && usage.terminal ? null : POLL_MS;
  }
}

/** An event's time for people: epoch milliseconds as local time, else as given. */
export function eventTime(time: string | null): string {
  if (!time) {
    return '';
  }
  return /^\d+$/.test(time) ? new Date(Number(time)).toLocaleString() : time;
}

function metricLabel(metric: string, trans: TranslationBundle): string {
  switch (metric) {
    case 'cpuUsage':
      return trans.__('CPU usage');
    case 'memUsage':
      return trans.__('Memory usage');
    case 'gpuUtil':
      return trans.__('GPU usage');
    case 'gpuMemUsage':
      return trans.__('GPU memory usage');
    case 'npuUtil':
      return trans.__('NPU usage');
    case 'npuMemUsage':
      return trans.__('NPU memory usage');
    default:
      return metric;
  }
}

function levelLabel(level: string | null, trans: TranslationBundle): string {
  switch (level) {
    case 'Info':
      return trans.__('Info');
    case 'Warning':
      return trans.__('Warning');
    case 'Error':
      return trans.__('Error');
    default:
      return level ?? '';
  }
}

/** The latest value of each metric, with a bar, and how many minutes it covers. */
function Metrics(props: {
  follower: ActivityFollower;
  trans: TranslationBundle;
}): JSX.Element {
  const { follower, trans } = props;
  const sampled = follower.metrics.filter(m => m.value.length > 0);
  if (sampled.length === 0) {
    return (
      <p className="jp-ModelArts-activityNote">
        {trans.__('No resource use sampled yet.')}
      </p>
    );
  }
  return (
    <ul
      className="jp-ModelArts-activityMetrics"
      aria-label={trans.__('Metrics')}
    >
      {sampled.map(metric => {
        const latest = metric.value[metric.value.length - 1];
        return (
          <li key={metric.metric} data-metric={metric.metric}>
            <span className="jp-ModelArts-activityMetricName">
              {metricLabel(metric.metric, trans)}
            </span>
            <span
              className="jp-ModelArts-activityBar"
              role="meter"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={latest}
            >
              <span
                style={{ width: `${Math.min(100, Math.max(0, latest))}%` }}
              />
            </span>
            <span className="jp-ModelArts-activityValue">
              {`${latest.toFixed(1)}%`}
            </span>
            <small>
              {trans.__('Minutes sampled: %1', metric.value.length)}
            </small>
          </li>
        );
      })}
    </ul>
  );
}

function ActivityView(props: {
  follower: ActivityFollower;
  trans: TranslationBundle;
}): JSX.Element {
  const { follower, trans } = props;
  useRedrawOnRead(follower);
  return (
    <details className="jp-ModelArts-activity" open>
      <summary>{trans.__('Events and metrics')}</summary>
      {follower.error !== null && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {describeError(follower.error, trans)}
        </p>
      )}
      <div className="jp-ModelArts-activityBody">
        <section>
          <h3>{trans.__('Events')}</h3>
          <ol
            className="jp-ModelArts-activityEvents"
            aria-label={trans.__('Events')}
          >
            {follower.events.map((event, index) => (
              <li key={index} data-level={event.level ?? ''}>
                <time>{eventTime(event.time)}</time>
                <span className="jp-ModelArts-activityLevel">
                  {levelLabel(event.level, trans)}
                </span>
                <span>{event.message}</span>
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h3>
            {follower.task
              ? trans.__('Metrics of %1', follower.task)
              : trans.__('Metrics')}
          </h3>
          <Metrics follower={follower} trans={trans} />
        </section>
      </div>
    </details>
  );
}

/** A v2 job's events and one worker's resource use, live while the job runs. */
export function JobActivity(props: {
  jobId: JobId;
  /** The worker whose metrics to show (a task index). */
  worker: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { jobId, worker } = props;
  const follower = React.useMemo(
    () => new ActivityFollower(jobId, worker),
    [jobId, worker]
  );
  React.useEffect(() => {
    follower.start();
    return () => follower.dispose();
  }, [follower]);
  return <ActivityView follower={follower} trans={props.trans} />;
}
