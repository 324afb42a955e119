import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import { APIError } from '../api';
import { deployApi, IInspection } from '../deploy/api';
import { deployPath } from '../deploy/deployDialog';
import { TestPanel } from '../deploy/TestPanel';
import {
  DeployForm,
  IDeployFormProps,
  initialValues,
  toDeployRequest,
  validateDeployForm
} from '../deploy/DeployForm';

const trans = nullTranslator.load('jupyterlab_modelarts');

const modelFile: IInspection = {
  kind: 'model_file',
  model_type: 'Scikit_Learn',
  runtime: 'python3.6',
  model_algorithm: 'predict_analysis',
  suggested_name: 'clf',
  model_version: '1.0.3',
  generated: { 'config.json': '{}', 'customize_service.py': 'class A: pass' },
  problems: []
};

/** The deploy form of a single model file, with `props` over the defaults; its onChange. */
function renderForm(props: Partial<IDeployFormProps>) {
  const onChange = vi.fn();
  render(
    <DeployForm
      initial={initialValues(modelFile, 'clf.pkl')}
      inspection={modelFile}
      specifications={[{ specification: 'modelarts.vm.cpu.2u' }]}
      clusters={[]}
      models={[]}
      serverErrors={{}}
      trans={trans}
      onChange={onChange}
      {...props}
    />
  );
  return onChange;
}

describe('the deploy form', () => {
  it('is prefilled from the inspection of the path', () => {
    const values = initialValues(modelFile, 'models/clf.pkl');
    expect(values).toMatchObject({
      path: 'models/clf.pkl',
      modelName: 'clf',
      modelVersion: '1.0.3',
      modelType: 'Scikit_Learn',
      generatePackage: true,
      serviceName: 'clf-service'
    });
    expect(validateDeployForm(values, trans)).toEqual({});
  });

  it('refuses weights that do not add up to 100, bad names and versions', () => {
    const values = {
      ...initialValues(modelFile, 'clf.pkl'),
      modelName: 'bad name',
      modelVersion: '1.01.0',
      weight: 60,
      otherModels: [{ model_id: 'm2', weight: 30 }]
    };
    const errors = validateDeployForm(values, trans);
    expect(Object.keys(errors).sort()).toEqual([
      'model_name',
      'model_version',
      'service.weight'
    ]);
    expect(errors['service.weight']).toContain('90');
  });

  it('sends the service with its envs and weights', () => {
    const request = toDeployRequest({
      ...initialValues(modelFile, 'clf.pkl'),
      envs: 'A=1\nB = two',
      weight: 70,
      otherModels: [{ model_id: 'm2', weight: 30 }]
    });
    expect(request.service).toMatchObject({
      envs: { A: '1', B: 'two' },
      weight: 70,
      other_models: [{ model_id: 'm2', weight: 30 }]
    });
    expect(request.generate_package).toBe(true);
  });

  it('shows the generated files and the server error of a field', () => {
    const onChange = renderForm({
      serverErrors: { 'service.service_name': 'already exists' }
    });
    expect(screen.getByText('customize_service.py')).toBeTruthy();
    expect(screen.getByText('already exists')).toBeTruthy();
    fireEvent.change(screen.getByDisplayValue('1.0.3'), {
      target: { value: 'x' }
    });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ modelVersion: 'x' })
    );
    expect(screen.getAllByRole('alert').map(e => e.textContent)).toContain(
      'Three numbers 0-99 without leading zeros, such as 1.0.0'
    );
  });
});

describe('the resource pool of the deploy form', () => {
  const clusters = [
    { cluster_id: 'c1', cluster_name: 'pool-a', status: 'running' },
    { cluster_id: 'c2', cluster_name: 'pool-b', status: 'abnormal' }
  ];

  it('offers the dedicated pools with their status and sends the chosen one', () => {
    const onChange = renderForm({ clusters });
    expect(screen.getByText('pool-a (running)')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Resource pool'), {
      target: { value: 'c2' }
    });
    expect(screen.getAllByRole('alert').map(e => e.textContent)).toContain(
      'This resource pool is abnormal: choose a running one or the public pool.'
    );
    const chosen = onChange.mock.lastCall![0];
    expect(
      toDeployRequest({ ...chosen, clusterId: 'c1' }).service
    ).toMatchObject({ cluster_id: 'c1' });
    expect(
      toDeployRequest(initialValues(modelFile, 'clf.pkl')).service
    ).not.toHaveProperty('cluster_id');
  });
});

describe('deploying what is not a model', () => {
  it('says why in a dialog, worded from the error code', async () => {
    const refused = new APIError(
      'notes holds neither config.json ...',
      400,
      'NOT_A_MODEL',
      'path',
      undefined,
      { name: 'notes', suffixes: ['.joblib', '.onnx'] }
    );
    vi.spyOn(deployApi, 'inspect').mockRejectedValue(refused);
    const done = deployPath('notes', trans);
    const dialog = await vi.waitFor(() => {
      const found = document.querySelector('.jp-Dialog');
      expect(found).toBeTruthy();
      return found!;
    });
    expect(dialog.textContent).toContain('Cannot deploy notes');
    expect(dialog.textContent).toContain(
      'notes holds no model: deploy a model package (with config.json), a TensorFlow SavedModel (saved_model.pb) or a folder with one model file (.joblib, .onnx).'
    );
    fireEvent.click(dialog.querySelector('.jp-mod-accept')!);
    expect(await done).toBeNull();
  });
});

describe('deploying a model of the Models list', () => {
  it('sends its id and the service, nothing to upload', () => {
    const values = {
      ...initialValues(modelFile, 'clf.joblib'),
      path: undefined,
      modelId: 'm-1'
    };
    const request = toDeployRequest(values);
    expect(request.model_id).toBe('m-1');
    expect(request.path).toBeUndefined();
    expect(request.service?.service_name).toBe('clf-service');
  });
});

describe('the test panel', () => {
  it("starts from the model's request description", async () => {
    vi.spyOn(deployApi, 'requestExample').mockResolvedValue({
      body: { data: { req_data: [{ x1: 0, x2: 0 }] } },
      model_id: 'm-1'
    });
    render(<TestPanel serviceId="svc-1" trans={trans} />);
    const box = screen.getByLabelText<HTMLTextAreaElement>(
      'Request body (JSON)'
    );
    await vi.waitFor(() =>
      expect(box.value).toBe('{"data":{"req_data":[{"x1":0,"x2":0}]}}')
    );
    expect(screen.getByText(/request description/)).toBeTruthy();
  });
});
