import { TranslationBundle } from '@jupyterlab/translation';

import { operationToasts } from '../components/operationToasts';
import { IServerEvent, ServerEvents } from '../model/events';
import { statusLabel } from '../wording';
import { ITrainingJob, JobId } from './api';

/** The toast of a training job's version (its launch's toast goes on as it). */
export function jobToastKey(jobId: JobId, versionId: number | null): string {
  return `training-job:${jobId}/${versionId}`;
}

/** The toast of a launch (upload, then create). */
export function launchToastKey(operationId: string): string {
  return `training-launch:${operationId}`;
}

/** Statuses a notification is shown for, when a job reaches them. */
const NOTIFIED: Record<string, 'success' | 'error' | 'warning'> = {
  completed: 'success',
  failed: 'error',
  killed: 'warning',
  canceled: 'warning'
};

export interface IJobEndActions {
  showLog: (job: ITrainingJob) => void;
  importModel: (job: ITrainingJob) => void;
}

/**
 * Watches the training jobs of the event stream and notifies when a job this
 * tab has seen running completes, fails or is stopped. Jobs that had already
 * ended when the tab opened are not announced.
 */
export class JobEndNotifier {
  constructor(
    private readonly events: ServerEvents,
    private readonly trans: TranslationBundle,
    private readonly actions: IJobEndActions
  ) {
    events.received.connect(this._onEvent, this);
  }

  dispose(): void {
    this.events.received.disconnect(this._onEvent, this);
  }

  private _onEvent(_: ServerEvents, event: IServerEvent): void {
    if (
      event.type !== 'resource' ||
      event.data.kind !== 'training_jobs' ||
      event.data.change !== 'upsert'
    ) {
      return;
    }
    const job = event.data.item as ITrainingJob;
    const key = `${event.data.profile}/${job.job_id}/${job.version_id}`;
    const before = this._seen.get(key);
    this._seen.set(key, job.terminal);
    const type = NOTIFIED[job.status_name];
    // A version first seen already ended was not started while this tab watched.
    if (!job.terminal || !type || before !== false) {
      return;
    }
    const trans = this.trans;
    const actions = [
      { label: trans.__('Show log'), callback: () => this.actions.showLog(job) }
    ];
    if (job.status_name === 'completed') {
      actions.push({
        label: trans.__('Import as model'),
        callback: () => this.actions.importModel(job)
      });
    }
    operationToasts.show(
      jobToastKey(job.job_id, job.version_id),
      trans.__(
        'Training job %1: %2',
        job.job_name ?? '',
        statusLabel(job.status_name, trans)
      ),
      type,
      { autoClose: false, actions }
    );
  }

  private _seen = new Map<string, boolean>();
}
