import { Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { describeProgress } from '../components/operationToasts';
import { IServerEvent, ServerEvents } from '../model/events';
import {
  IOperation,
  IPrefill,
  ISpec,
  ITrainingJob,
  ITrainingVersion
} from '../training/api';
import {
  initialValues,
  LaunchForm,
  toLaunchRequest,
  validateLaunch
} from '../training/LaunchForm';
import { visualizationName, WorkerStates } from '../training/JobsPanel';
import { JobEndNotifier } from '../training/notifications';

const trans = nullTranslator.load('jupyterlab_modelarts');

const specs: ISpec[] = [
  { spec_id: 2, label: 'cpu.2u (2 vCPUs, 8 GiB)', max_num: 2, available: true },
  { spec_id: 9, label: 'gpu (8 vCPUs)', max_num: 4, available: false }
];
const engines = [{ engine_id: 31, label: 'XGBoost-Sklearn 0.18' }];
const prefill: IPrefill = {
  path: 'iris/train.py',
  job_name: 'train',
  code_folder: 'iris',
  code: {
    files: 3,
    bytes: 2048,
    ignored: 2,
    ignored_examples: ['notes/'],
    first_files: ['train.py']
  },
  boot_file: 'train.py',
  notebook: false,
  data: { local_path: 'iris/data' },
  obs_folder: 'obs://bucket/training/',
  train_url: 'obs://bucket/training/train/V0001/output/',
  log_url: 'obs://bucket/training/train/V0001/logs/',
  parameters: [{ label: 'max_depth', value: '3', help: 'tree depth' }],
  worker_server_num: 1
};

describe('the launch form', () => {
  it('starts from the prefill with the first available spec', () => {
    const values = initialValues(prefill, specs, engines);
    expect(values.specId).toBe('2');
    expect(values.engineId).toBe('31');
    expect(values.dataKind).toBe('local');
    expect(validateLaunch(values, specs, trans)).toEqual({});
    expect(toLaunchRequest(prefill.path, values)).toMatchObject({
      path: 'iris/train.py',
      job_name: 'train',
      data: { local_path: 'iris/data' },
      spec_id: 2,
      engine_id: 31,
      worker_server_num: 1,
      parameters: [{ label: 'max_depth', value: '3' }]
    });
  });

  it('names each wrong field with the server field path', () => {
    const values = {
      ...initialValues(prefill, specs, engines),
      jobName: 'bad name',
      workers: '3',
      trainUrl: 'obs://bucket/out',
      parameters: [{ label: 'a b', value: '1' }],
      saveConfig: 'x'.repeat(21)
    };
    expect(Object.keys(validateLaunch(values, specs, trans)).sort()).toEqual([
      'job_name',
      'parameters.0.label',
      'save_config',
      'train_url',
      'worker_server_num'
    ]);
  });

  it('shows the code folder size and a server error on its field', () => {
    render(
      <LaunchForm
        prefill={prefill}
        specs={specs}
        engines={engines}
        configs={[]}
        jobs={[]}
        initial={initialValues(prefill, specs, engines)}
        serverErrors={{ job_name: 'a training job of this name exists' }}
        trans={trans}
        loadConfig={async () => ({})}
        onChange={() => undefined}
      />
    );
    expect(screen.getByText(/3 files, 2 KiB \(2 left out/)).toBeTruthy();
    expect(screen.getByText('train.py, …')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'a training job of this name exists'
    );
    expect(
      (screen.getByRole('option', { name: /gpu/ }) as HTMLOptionElement)
        .disabled
    ).toBe(true);
    fireEvent.click(screen.getByText('Add parameter'));
    expect(screen.getAllByLabelText('Value')).toHaveLength(2);
  });

  it('shows the output and log folders of the typed job name and sends none', () => {
    render(
      <LaunchForm
        prefill={prefill}
        specs={specs}
        engines={engines}
        configs={[]}
        jobs={[]}
        initial={initialValues(prefill, specs, engines)}
        serverErrors={{}}
        trans={trans}
        loadConfig={async () => ({})}
        onChange={() => undefined}
      />
    );
    const name = document.querySelector('input[name="job_name"]')!;
    fireEvent.change(name, { target: { value: 'iris_renamed' } });
    const output = document.querySelector<HTMLInputElement>(
      'input[name="train_url"]'
    )!;
    expect(output.value).toBe('');
    expect(output.placeholder).toBe(
      'obs://bucket/training/iris_renamed/V0001/output/'
    );
    const request = toLaunchRequest(prefill.path, {
      ...initialValues(prefill, specs, engines),
      jobName: 'iris_renamed'
    });
    expect(request.train_url).toBeUndefined();
    expect(request.log_url).toBeUndefined();
  });

  it('picks the engine the script imports and says why', () => {
    const both = [
      { engine_id: 1, label: 'TensorFlow TF-1.8.0' },
      { engine_id: 31, label: 'XGBoost-Sklearn 0.18' }
    ];
    const withEngine: IPrefill = {
      ...prefill,
      engine: { engine_id: 31, framework: 'scikit-learn', module: 'sklearn' }
    };
    expect(initialValues(withEngine, specs, both).engineId).toBe('31');
    expect(initialValues(prefill, specs, both).engineId).toBe('1');
    render(
      <LaunchForm
        prefill={withEngine}
        specs={specs}
        engines={both}
        configs={[]}
        jobs={[]}
        initial={initialValues(withEngine, specs, both)}
        serverErrors={{}}
        trans={trans}
        loadConfig={async () => ({})}
        onChange={() => undefined}
      />
    );
    expect(
      screen.getByText(
        'Chosen because the script imports sklearn (scikit-learn).'
      )
    ).toBeTruthy();
  });

  it('on a v2 account sends flavor and engine names and offers no versions or configurations', () => {
    const flavors: ISpec[] = [
      {
        spec_id: 'modelarts.vm.cpu.2u',
        label: 'CPU 2u',
        max_num: 2,
        available: true
      }
    ];
    const v2Engines = [{ engine_id: 'xgboost-sklearn-0.18', label: 'XGBoost' }];
    const v2: IPrefill = { ...prefill, training_api: 'v2' };
    const values = initialValues(v2, flavors, v2Engines);
    expect(toLaunchRequest(v2.path, values)).toMatchObject({
      spec_id: 'modelarts.vm.cpu.2u',
      engine_id: 'xgboost-sklearn-0.18'
    });
    const job = {
      job_id: 'c0ffee00-0000-4000-8000-000000000001',
      job_name: 'old'
    };
    render(
      <LaunchForm
        prefill={v2}
        specs={flavors}
        engines={v2Engines}
        configs={[]}
        jobs={[job as ITrainingJob]}
        initial={values}
        serverErrors={{}}
        trans={trans}
        loadConfig={async () => ({})}
        onChange={() => undefined}
      />
    );
    expect(screen.getByText(/trains through the v2 training API/)).toBeTruthy();
    expect(screen.queryByText('New version of old')).toBeNull();
    expect(screen.queryByText('Save as training job configuration')).toBeNull();
  });
});

describe('launch progress', () => {
  it('says which step runs, how far it is and what it did', () => {
    const operation: IOperation = {
      id: 'op',
      kind: 'training_launch',
      title: 'Train train',
      state: 'running',
      result: null,
      error: null,
      steps: [
        {
          name: 'prepare',
          title: 'Prepare',
          state: 'succeeded',
          progress: 1,
          message: null
        },
        {
          name: 'upload_code',
          title: 'Upload the code',
          state: 'running',
          progress: 0.42,
          message: '1/3 files'
        }
      ]
    };
    expect(describeProgress(operation, trans)).toBe(
      'Train train: Upload the code 42% (1/3 files)'
    );
  });
});

class FakeEvents {
  readonly received = new Signal<this, IServerEvent>(this);
}

function jobEvent(
  versionId: number,
  status_name: string,
  terminal: boolean
): IServerEvent {
  return {
    type: 'resource',
    data: {
      kind: 'training_jobs',
      profile: 'local',
      change: 'upsert',
      id: '1',
      item: {
        job_id: 1,
        version_id: versionId,
        job_name: 'train',
        status_name,
        terminal
      }
    }
  };
}

describe('job end notifications', () => {
  afterEach(() => vi.restoreAllMocks());

  it('announce a job seen running when it completes, with its actions', () => {
    const emit = vi.spyOn(Notification, 'emit').mockReturnValue('id');
    const events = new FakeEvents();
    const showLog = vi.fn();
    const notifier = new JobEndNotifier(
      events as unknown as ServerEvents,
      trans,
      {
        showLog,
        importModel: vi.fn()
      }
    );
    // A version that had ended before the tab watched is not announced.
    events.received.emit(jobEvent(7, 'completed', true));
    expect(emit).not.toHaveBeenCalled();

    events.received.emit(jobEvent(8, 'running', false));
    events.received.emit(jobEvent(8, 'completed', true));
    expect(emit).toHaveBeenCalledTimes(1);
    const [message, type, options] = emit.mock.calls[0];
    expect(message).toBe('Training job train: completed');
    expect(type).toBe('success');
    const labels = (options?.actions ?? []).map(action => action.label);
    expect(labels).toEqual(['Show log', 'Import as model']);
    (options?.actions ?? [])[0].callback(new MouseEvent('click'));
    expect(showLog).toHaveBeenCalled();
    notifier.dispose();
  });
});

describe('visualization job names', () => {
  it('fit the 20 characters the API allows and keep the version', () => {
    const job = { job_name: 'a-rather-long-training-job-name' } as ITrainingJob;
    const version = (id: number) => ({ version_id: id }) as ITrainingVersion;
    expect(visualizationName(job, version(12))).toBe('a-rather-long-tr-v12');
    expect(visualizationName(job, version(123456789))).toBe(
      'a-rather-l-v23456789'
    );
  });
});

describe('the worker states of a version', () => {
  it('show one phase per worker, and nothing for a single worker', () => {
    const tasks = [
      { task: 'worker-0', phase: 'stopped' },
      { task: 'worker-1', phase: 'failed' }
    ];
    const { container, rerender } = render(
      <WorkerStates tasks={tasks} trans={trans} />
    );
    const items = screen.getByRole('list', { name: 'Worker states' });
    expect(items.textContent).toBe('worker-0stoppedworker-1failed');
    expect(
      container.querySelector(
        "[data-task='worker-1'] .jp-ModelArts-status-failed"
      )
    ).not.toBeNull();
    rerender(<WorkerStates tasks={tasks.slice(0, 1)} trans={trans} />);
    expect(screen.queryByRole('list', { name: 'Worker states' })).toBeNull();
  });
});
