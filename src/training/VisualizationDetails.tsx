import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describeError } from '../errors';
import { IVisualizationJob, JobId, trainingApi } from './api';

const DESCRIPTION_MAX = 256;

/** A visualization job's details (VJ-3) and its description, editable (VJ-4). */
export function VisualizationDetails(props: {
  jobId: JobId;
  trans: TranslationBundle;
  /** The description changed: the list reloads. */
  onChanged: () => void;
}): JSX.Element {
  const { jobId, trans } = props;
  const [job, setJob] = React.useState<IVisualizationJob | null>(null);
  const [description, setDescription] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [saved, setSaved] = React.useState(false);
  const show = (found: IVisualizationJob) => {
    setJob(found);
    setDescription(found.job_desc ?? '');
  };
  React.useEffect(() => {
    trainingApi
      .visualization(jobId)
      .then(show, failure => setError(describeError(failure, trans)));
  }, [jobId, trans]);
  if (!job) {
    return (
      <p role={error ? 'alert' : undefined}>{error ?? trans.__('Loading…')}</p>
    );
  }
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (description.length > DESCRIPTION_MAX) {
      setError(trans.__('At most %1 characters.', String(DESCRIPTION_MAX)));
      return;
    }
    try {
      show(await trainingApi.describeVisualization(jobId, description));
      setError(null);
      setSaved(true);
      props.onChanged();
    } catch (failure) {
      setError(describeError(failure, trans));
    }
  };
  return (
    <div className="jp-ModelArts-visualizationDetails">
      <dl>
        <dt>{trans.__('Name')}</dt>
        <dd>{job.job_name ?? ''}</dd>
        <dt>{trans.__('Status')}</dt>
        <dd>{job.status_name}</dd>
        <dt>{trans.__('Training output')}</dt>
        <dd>{job.train_url ?? ''}</dd>
        <dt>{trans.__('TensorBoard address')}</dt>
        <dd>{job.service_url ?? trans.__('not running')}</dd>
        <dt>{trans.__('Created')}</dt>
        <dd>
          {job.create_time ? new Date(job.create_time).toLocaleString() : ''}
        </dd>
      </dl>
      <form onSubmit={save} noValidate>
        <label htmlFor={`jp-ModelArts-visualizationDesc-${jobId}`}>
          {trans.__('Description')}
        </label>
        <textarea
          id={`jp-ModelArts-visualizationDesc-${jobId}`}
          className="jp-mod-styled"
          value={description}
          aria-invalid={error ? true : undefined}
          onChange={event => setDescription(event.target.value)}
        />
        {error && (
          <small className="jp-ModelArts-fieldError" role="alert">
            {error}
          </small>
        )}
        <button type="submit" className="jp-mod-styled jp-mod-accept">
          {trans.__('Save description')}
        </button>
        {saved && <span role="status">{trans.__('Description saved.')}</span>}
      </form>
    </div>
  );
}

export async function showVisualizationDetails(
  jobId: JobId,
  trans: TranslationBundle,
  onChanged: () => void
): Promise<void> {
  await showDialog({
    title: trans.__('Visualization job details'),
    body: ReactWidget.create(
      <VisualizationDetails jobId={jobId} trans={trans} onChanged={onChanged} />
    ),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
}
