import { InputDialog, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import { confirmDelete } from '../components/confirmDelete';
import { IdText } from '../components/IdText';
import { RowActions } from '../components/RowActions';
import { describeError } from '../errors';
import { formatDuration } from '../format';
import { statusLabel, statusMeaning } from '../wording';
import { Launches } from './Launches';
import { IServerEvent, ServerEvents } from '../model/events';
import {
  IParameter,
  ITaskStatus,
  ITrainingJob,
  JobId,
  ITrainingVersion,
  IVisualizationJob,
  trainingApi
} from './api';
import { showVisualizationDetails } from './VisualizationDetails';
import { WindowedList } from './WindowedList';

/** Height in px of a collapsed job row (see `.jp-ModelArts-trainJob` in style/training.css). */
export const JOB_ROW_HEIGHT = 41;

/** What the panel asks the plugin to do. */
export interface IJobsPanelActions {
  openLog: (job: ITrainingJob, version: ITrainingVersion) => void;
  importModel: (job: ITrainingJob, version: ITrainingVersion) => void;
  /** Download the output into a folder of the file browser and show it there. */
  openOutput: (job: ITrainingJob, version: ITrainingVersion) => void;
  /** Import the output as a model and deploy it as a service. */
  deployOutput: (job: ITrainingJob, version: ITrainingVersion) => void;
  /** Open the saved training job configurations (edit, delete). */
  showConfigs: () => void;
  /** Open the list of built-in algorithms. */
  showAlgorithms: () => void;
}

interface IPanelProps {
  events: ServerEvents;
  trans: TranslationBundle;
  actions: IJobsPanelActions;
}

function StatusChip(props: {
  item: { status_name: string; status_meaning: string };
  trans: TranslationBundle;
}) {
  return (
    <span
      className={`jp-ModelArts-status jp-ModelArts-status-${props.item.status_name}`}
      data-status={props.item.status_name}
      title={statusMeaning(
        props.item.status_name,
        props.item.status_meaning,
        props.trans
      )}
    >
      {statusLabel(props.item.status_name, props.trans)}
    </span>
  );
}

/**
 * `run` at most once at a time: calls while it runs make one more run after
 * it. A burst of events (the first poll of a thousand jobs publishes one per
 * job) then costs two list requests, not one per event.
 */
export function coalesce(run: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const start = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void run()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          start();
        }
      });
  };
  return start;
}

/** Runs an action and reports its failure with the upstream details. */
function useAct(trans: TranslationBundle, after: () => void) {
  return (action: () => Promise<unknown>) =>
    action()
      .then(after)
      .catch(error =>
        Notification.error(describeError(error, trans), { autoClose: false })
      );
}

/** Ask for changed run parameters, as `label=value` pairs separated by spaces. */
async function askParameters(
  trans: TranslationBundle,
  current: IParameter[]
): Promise<IParameter[] | null> {
  const result = await InputDialog.getText({
    title: trans.__(
      'New version: run parameters (label=value, separated by spaces)'
    ),
    text: current.map(p => `${p.label}=${p.value}`).join(' '),
    okLabel: trans.__('Create version'),
    cancelLabel: trans.__('Cancel')
  });
  if (!result.button.accept || result.value === null) {
    return null;
  }
  return result.value
    .split(/\s+/)
    .filter(Boolean)
    .map((pair: string) => {
      const [label, ...rest] = pair.split('=');
      return { label: label.trim(), value: rest.join('=').trim() };
    });
}

/** A visualization job's name: at most 20 characters (004 §5.3), the version's suffix kept. */
export function visualizationName(
  job: ITrainingJob,
  version: ITrainingVersion
): string {
  const suffix = `-v${String(version.version_id).slice(-8)}`;
  return (job.job_name ?? 'job').slice(0, 20 - suffix.length) + suffix;
}

/**
 * A visualization job was created from a version row: the list below the jobs shows it at
 * once (the server's events only tell of training jobs).
 */
const visualizationCreated = new Signal<object, void>({});

/** Each worker's phase, for a version that runs on several workers. */
export function WorkerStates(props: {
  tasks: ITaskStatus[];
  trans: TranslationBundle;
}): JSX.Element | null {
  const { tasks, trans } = props;
  if (tasks.length < 2) {
    return null;
  }
  const phases: Record<string, string> = {
    preparing: trans.__('preparing'),
    running: trans.__('running'),
    succeeded: trans.__('succeeded'),
    failed: trans.__('failed'),
    stopped: trans.__('stopped')
  };
  return (
    <ul
      className="jp-ModelArts-trainWorkers"
      aria-label={trans.__('Worker states')}
    >
      {tasks.map(task => (
        <li key={task.task} data-task={task.task}>
          <span>{task.task}</span>
          <span
            className={`jp-ModelArts-status jp-ModelArts-status-${task.phase}`}
          >
            {phases[task.phase] ?? task.phase}
          </span>
        </li>
      ))}
    </ul>
  );
}

function VersionRow(props: {
  job: ITrainingJob;
  version: ITrainingVersion;
  trans: TranslationBundle;
  actions: IJobsPanelActions;
  reload: () => void;
}): JSX.Element {
  const { job, version, trans, actions } = props;
  const [output, setOutput] = React.useState<string[] | null>(null);
  const act = useAct(trans, props.reload);
  const ids = [job.job_id, version.version_id] as const;
  // A v2 job is its own only version: what needs v1 (versions, TensorBoard) is not offered.
  const v1 = version.training_api !== 'v2';
  return (
    <li className="jp-ModelArts-trainVersion" data-version={version.version_id}>
      <div className="jp-ModelArts-trainRow">
        <span>{version.version_name || `V${version.version_id}`}</span>
        <StatusChip item={version} trans={trans} />
        <span title={trans.__('Resource spec')}>{version.spec_code}</span>
        <span>{formatDuration(version.duration)}</span>
      </div>
      <WorkerStates tasks={version.task_statuses ?? []} trans={trans} />
      {version.failure_reason && (
        <p className="jp-ModelArts-fieldError">{version.failure_reason}</p>
      )}
      {!v1 && (
        <small className="jp-ModelArts-trainNote">
          {trans.__(
            'This account trains through the v2 training API: a job has one version, and new versions and visualization jobs are not offered.'
          )}
        </small>
      )}
      <div className="jp-ModelArts-trainActions">
        <button
          className="jp-mod-styled"
          onClick={() => actions.openLog(job, version)}
        >
          {trans.__('Log')}
        </button>
        <button
          className="jp-mod-styled"
          disabled={!version.stoppable}
          title={
            version.stoppable
              ? ''
              : trans.__('Only a queued or running version can be stopped')
          }
          onClick={() => void act(() => trainingApi.stop(...ids))}
        >
          {trans.__('Stop')}
        </button>
        {v1 && (
          <button
            className="jp-mod-styled"
            onClick={() =>
              void askParameters(trans, version.parameter).then(parameters =>
                parameters
                  ? act(() =>
                      trainingApi.newVersion(job.job_id, {
                        pre_version_id: version.version_id,
                        parameters
                      })
                    )
                  : undefined
              )
            }
          >
            {trans.__('New version')}
          </button>
        )}
        <button
          className="jp-mod-styled"
          onClick={() =>
            void act(async () =>
              setOutput(
                (await trainingApi.output(...ids)).files.map(f => f.path)
              )
            )
          }
        >
          {trans.__('Output')}
        </button>
        <button
          className="jp-mod-styled"
          disabled={version.status_name !== 'completed'}
          onClick={() => actions.importModel(job, version)}
        >
          {trans.__('Import as model')}
        </button>
        {v1 && (
          <button
            className="jp-mod-styled"
            disabled={!version.train_url}
            onClick={() =>
              void act(async () => {
                await trainingApi.visualize(
                  visualizationName(job, version),
                  version.train_url ?? ''
                );
                visualizationCreated.emit();
              })
            }
          >
            {trans.__('Visualize')}
          </button>
        )}
        {v1 && (
          <button
            className="jp-mod-styled"
            disabled={!version.terminal}
            onClick={() =>
              void confirmDelete(
                trans,
                trans.__('Delete version'),
                trans.__('Delete this version of %1?', job.job_name ?? '')
              ).then(ok =>
                ok ? act(() => trainingApi.deleteVersion(...ids)) : undefined
              )
            }
          >
            {trans.__('Delete version')}
          </button>
        )}
        <RowActions
          primary={[]}
          secondary={[
            {
              label: trans.__('Open output'),
              reason: version.train_url
                ? null
                : trans.__('This version has no output folder'),
              run: () => actions.openOutput(job, version)
            },
            {
              label: trans.__('Deploy'),
              reason:
                version.status_name === 'completed'
                  ? null
                  : trans.__('Only a completed version can be deployed'),
              run: () => actions.deployOutput(job, version)
            }
          ]}
          trans={trans}
        />
      </div>
      <dl className="jp-ModelArts-trainConfig">
        <dt>{trans.__('Boot file')}</dt>
        <dd>{version.boot_file_url}</dd>
        <dt>{trans.__('Data')}</dt>
        <dd>{version.data_url}</dd>
        <dt>{trans.__('Output')}</dt>
        <dd>{version.train_url}</dd>
        <dt>{trans.__('Parameters')}</dt>
        <dd>
          {version.parameter.map(p => `--${p.label}=${p.value}`).join(' ')}
        </dd>
      </dl>
      {output && (
        <ul
          className="jp-ModelArts-trainOutput"
          aria-label={trans.__('Output files')}
        >
          {output.length === 0 && <li>{trans.__('No files yet.')}</li>}
          {output.map(path => (
            <li key={path}>{path}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

function JobRow(props: {
  job: ITrainingJob;
  trans: TranslationBundle;
  actions: IJobsPanelActions;
  /** Expanded: the panel keeps this, so a row scrolled out and back stays open. */
  open: boolean;
  onToggle: (jobId: JobId) => void;
}): JSX.Element {
  const { job, trans, open } = props;
  const [versions, setVersions] = React.useState<ITrainingVersion[]>([]);
  const load = React.useCallback(() => {
    void trainingApi
      .versions(job.job_id)
      .then(found =>
        Promise.all(
          found.map(v =>
            v.status_name === 'failed'
              ? trainingApi.version(job.job_id, v.version_id)
              : Promise.resolve(v)
          )
        )
      )
      .then(setVersions)
      .catch(() => setVersions([]));
  }, [job.job_id]);
  // The job's row changes with its latest version: the versions follow.
  React.useEffect(() => {
    if (open) {
      load();
    }
  }, [open, job.status, job.version_count, load]);
  const act = useAct(trans, load);
  return (
    <div className="jp-ModelArts-trainJob" data-job={job.job_name ?? ''}>
      <div className="jp-ModelArts-trainRow">
        <button
          className="jp-ModelArts-trainToggle"
          aria-expanded={open}
          title={job.job_name ?? ''}
          onClick={() => props.onToggle(job.job_id)}
        >
          {job.job_name}
        </button>
        <StatusChip item={job} trans={trans} />
        <span title={trans.__('Versions')}>{job.version_count ?? ''}</span>
        <span>{formatDuration(job.duration)}</span>
      </div>
      {job.job_desc && (
        <p className="jp-ModelArts-trainDesc jp-ModelArts-upstream">
          {job.job_desc}
        </p>
      )}
      {open && (
        <>
          <p className="jp-ModelArts-trainId">
            {trans.__('Id')} <IdText id={String(job.job_id)} trans={trans} />
          </p>
          <div className="jp-ModelArts-trainActions">
            <button
              className="jp-mod-styled"
              onClick={() =>
                void InputDialog.getText({
                  title: trans.__('Description of %1', job.job_name ?? ''),
                  text: job.job_desc ?? '',
                  okLabel: trans.__('Save'),
                  cancelLabel: trans.__('Cancel')
                }).then(result =>
                  result.button.accept && result.value !== null
                    ? act(() =>
                        trainingApi.describe(job.job_id, result.value ?? '')
                      )
                    : undefined
                )
              }
            >
              {trans.__('Edit description')}
            </button>
            <button
              className="jp-mod-styled"
              onClick={() =>
                void confirmDelete(
                  trans,
                  trans.__('Delete job'),
                  trans.__(
                    'Delete %1 and all its versions?',
                    job.job_name ?? ''
                  )
                ).then(ok =>
                  ok ? act(() => trainingApi.deleteJob(job.job_id)) : undefined
                )
              }
            >
              {trans.__('Delete job')}
            </button>
          </div>
          <ul className="jp-ModelArts-trainVersions">
            {versions.map(version => (
              <VersionRow
                key={version.version_id}
                job={job}
                version={version}
                trans={trans}
                actions={props.actions}
                reload={load}
              />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Visualizations(props: {
  trans: TranslationBundle;
  events: ServerEvents;
}): JSX.Element | null {
  const { trans } = props;
  const [jobs, setJobs] = React.useState<IVisualizationJob[]>([]);
  const load = React.useMemo(
    () =>
      coalesce(() =>
        trainingApi.visualizations().then(setJobs, () => setJobs([]))
      ),
    []
  );
  React.useEffect(() => {
    load();
    const onEvent = (_: ServerEvents, event: IServerEvent) => {
      if (event.type === 'resource' && event.data.kind === 'training_jobs') {
        load();
      }
    };
    props.events.received.connect(onEvent);
    visualizationCreated.connect(load);
    return () => {
      props.events.received.disconnect(onEvent);
      visualizationCreated.disconnect(load);
    };
  }, [load, props.events]);
  const act = useAct(trans, load);
  if (jobs.length === 0) {
    return null;
  }
  return (
    <section className="jp-ModelArts-trainVisualizations">
      <h4>{trans.__('Visualization jobs')}</h4>
      <ul>
        {jobs.map(job => (
          <li key={job.job_id} className="jp-ModelArts-trainRow">
            <span title={job.job_desc ?? undefined}>{job.job_name}</span>
            <StatusChip item={job} trans={trans} />
            <button
              className="jp-mod-styled"
              onClick={() =>
                void showVisualizationDetails(job.job_id, trans, load)
              }
            >
              {trans.__('Details')}
            </button>
            <button
              className="jp-mod-styled"
              disabled={!job.service_url}
              onClick={() => window.open(job.service_url ?? '', '_blank')}
            >
              {trans.__('Open')}
            </button>
            <button
              className="jp-mod-styled"
              onClick={() =>
                void act(() =>
                  trainingApi.visualizationAction(job.job_id, 'stop')
                )
              }
            >
              {trans.__('Stop')}
            </button>
            <button
              className="jp-mod-styled"
              onClick={() =>
                void act(() =>
                  trainingApi.visualizationAction(job.job_id, 'restart')
                )
              }
            >
              {trans.__('Restart')}
            </button>
            <button
              className="jp-mod-styled"
              onClick={() =>
                void act(() => trainingApi.deleteVisualization(job.job_id))
              }
            >
              {trans.__('Delete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The Training section of the sidebar: jobs, live from the event stream. */
export function JobsPanel(props: IPanelProps): JSX.Element {
  const { trans, events } = props;
  const [jobs, setJobs] = React.useState<ITrainingJob[]>([]);
  const [error, setError] = React.useState<unknown>(null);
  const [expanded, setExpanded] = React.useState<ReadonlySet<JobId>>(
    () => new Set()
  );
  const scroller = React.useRef<HTMLDivElement>(null);
  const load = React.useMemo(
    () =>
      coalesce(() =>
        trainingApi.jobs().then(found => {
          setJobs(found);
          setError(null);
        }, setError)
      ),
    []
  );
  const toggle = React.useCallback((jobId: JobId) => {
    setExpanded(previous => {
      const next = new Set(previous);
      if (!next.delete(jobId)) {
        next.add(jobId);
      }
      return next;
    });
  }, []);
  const jobKey = React.useCallback((job: ITrainingJob) => job.job_id, []);
  const renderJob = React.useCallback(
    (job: ITrainingJob) => (
      <JobRow
        job={job}
        trans={trans}
        actions={props.actions}
        open={expanded.has(job.job_id)}
        onToggle={toggle}
      />
    ),
    [trans, props.actions, expanded, toggle]
  );
  React.useEffect(() => {
    load();
    const onEvent = (_: ServerEvents, event: IServerEvent) => {
      if (
        event.type === 'resync' ||
        (event.type === 'resource' && event.data.kind === 'training_jobs')
      ) {
        load();
      }
    };
    events.received.connect(onEvent);
    return () => {
      events.received.disconnect(onEvent);
    };
  }, [load, events]);
  return (
    <div className="jp-ModelArts-training" ref={scroller}>
      <Launches events={events} trans={trans} />
      <div className="jp-ModelArts-trainTools">
        <button onClick={props.actions.showConfigs}>
          {trans.__('Training configurations')}
        </button>
        <button onClick={props.actions.showAlgorithms}>
          {trans.__('Built-in algorithms')}
        </button>
      </div>
      {error !== null && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {describeError(error, trans)}
        </p>
      )}
      {jobs.length === 0 && error === null && (
        <p className="jp-ModelArts-empty">
          {trans.__(
            'No training jobs. Open a Python file and click "Train on ModelArts".'
          )}
        </p>
      )}
      <WindowedList
        className="jp-ModelArts-trainJobs"
        aria-label={trans.__('Training jobs')}
        items={jobs}
        itemKey={jobKey}
        rowHeight={JOB_ROW_HEIGHT}
        renderRow={renderJob}
        scroller={scroller}
      />
      <Visualizations trans={trans} events={events} />
    </div>
  );
}
