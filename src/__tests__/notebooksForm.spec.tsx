import { nullTranslator } from '@jupyterlab/translation';
import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it } from 'vitest';

import { IInstanceOptions, InstanceApi } from '../notebooks/api';
import {
  emptyForm,
  formFieldOf,
  INewInstanceValues,
  toCreateRequest,
  validateForm
} from '../notebooks/form';
import { visibleRange } from '../notebooks/InstancesPanel';
import { NewInstanceForm, orderedApis } from '../notebooks/NewInstanceForm';

const trans = nullTranslator.load('jupyterlab_modelarts');

function form(
  api: InstanceApi,
  change: Partial<INewInstanceValues> = {}
): INewInstanceValues {
  return {
    ...emptyForm(api),
    name: 'nb-1',
    image: 'img',
    flavor: 'modelarts.vm.cpu.2u',
    obsPath: '/bucket/work/',
    ...change
  };
}

const options: IInstanceOptions = {
  api: 'devenv',
  images: [{ id: 'Multi-Engine 2.0 (python3)', name: 'Multi-Engine 2.0' }],
  flavors: [
    {
      id: 'modelarts.vm.gpu.free',
      name: 'modelarts.vm.gpu.free',
      description: '',
      category: 'GPU',
      cpu: 2,
      gpu: 1,
      gpu_type: 'p4',
      memory_gib: 8,
      sold_out: true,
      free: true
    },
    {
      id: 'modelarts.vm.cpu.8u',
      name: 'modelarts.vm.cpu.8u',
      description: 'Intel CPU',
      category: 'CPU',
      cpu: 8,
      gpu: 0,
      gpu_type: null,
      memory_gib: 32,
      sold_out: false,
      free: false
    }
  ],
  storage: ['obs', 'evs'],
  auto_stop: { unit: 's', min: 3600, max: 86400 },
  workspace_id: '0'
};

describe('validateForm', () => {
  it('accepts a complete form of each API', () => {
    for (const api of ['devenv', 'notebooks', 'pai'] as InstanceApi[]) {
      expect(validateForm(form(api, { name: 'nb_1' }), null, trans)).toEqual(
        {}
      );
    }
  });

  it('applies the seed rules to name, description, OBS folder and auto stop', () => {
    const errors = validateForm(
      form('devenv', {
        name: 'bad name!',
        description: 'a <b>',
        obsPath: '/bucket/work',
        autoStopHours: '25'
      }),
      options,
      trans
    );
    expect(Object.keys(errors).sort()).toEqual([
      'autoStopHours',
      'description',
      'name',
      'obsPath'
    ]);
    expect(errors.description).toContain('<');
    expect(
      validateForm(form('devenv', { obsPath: '/bucket/' }), null, trans).obsPath
    ).toBeTruthy();
    expect(
      validateForm(form('pai', { name: 'with-dash' }), null, trans).name
    ).toBeTruthy();
  });
});

describe('toCreateRequest', () => {
  it('builds the old API body with auto stop in seconds', () => {
    expect(toCreateRequest(form('devenv', { autoStopHours: '2' }))).toEqual({
      name: 'nb-1',
      description: '',
      profile_id: 'img',
      flavor: 'modelarts.vm.cpu.2u',
      spec: {
        storage: { type: 'obs', location: { path: '/bucket/work/' } },
        auto_stop: { enable: true, duration: 7200 }
      }
    });
  });

  it('leaves an empty OBS folder to the server, which proposes one', () => {
    const values = form('devenv', { obsPath: '' });
    expect(validateForm(values, null, trans).obsPath).toBeUndefined();
    const spec = toCreateRequest(values).spec as Record<string, unknown>;
    expect(spec.storage).toEqual({ type: 'obs', location: {} });
  });

  it('opens on the current Notebooks API where the profile offers it', () => {
    expect(orderedApis(['devenv', 'notebooks'])[0]).toBe('notebooks');
    expect(orderedApis(['pai'])).toEqual(['pai']);
  });

  it('builds the new API body with auto stop in milliseconds', () => {
    const body = toCreateRequest(
      form('notebooks', { autoStopHours: '3', workspaceId: 'ws1' })
    );
    expect(body.duration).toBe(10_800_000);
    expect(body.volume).toEqual({
      category: 'EVS',
      ownership: 'MANAGED',
      capacity: 5
    });
    expect(body.workspace_id).toBe('ws1');
  });
});

describe('formFieldOf', () => {
  it('maps a server field path to the form field it concerns', () => {
    expect(formFieldOf('devenv', 'spec.storage.location.path')).toBe('obsPath');
    expect(formFieldOf('devenv', 'spec.auto_stop.duration')).toBe(
      'autoStopHours'
    );
    expect(formFieldOf('notebooks', 'volume.capacity')).toBe('volumeGb');
    expect(formFieldOf('notebooks', 'volume.category')).toBe('storage');
    expect(formFieldOf('pai', 'InstanceName')).toBe('name');
    expect(formFieldOf('devenv', 'pool.id')).toBeUndefined();
  });
});

describe('visibleRange', () => {
  it('renders only the rows in view, plus a few', () => {
    const [first, last] = visibleRange(76 * 100, 380, 10_000);
    expect(first).toBe(96);
    expect(last).toBe(109);
  });
});

describe('NewInstanceForm', () => {
  it('shows flavor details, picks an available flavor and checks as the user types', async () => {
    const changes: INewInstanceValues[] = [];
    await act(async () => {
      render(
        <NewInstanceForm
          apis={['devenv', 'notebooks']}
          initial={emptyForm('devenv')}
          serverErrors={{ description: 'from the server' }}
          trans={trans}
          loadOptions={async () => options}
          onChange={values => changes.push(values)}
        />
      );
    });
    expect(screen.getByText(/8 vCPU, 32 GiB memory/)).toBeTruthy();
    expect(changes.at(-1)?.flavor).toBe('modelarts.vm.cpu.8u');
    expect(screen.getByText('from the server')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name'), {
      target: { value: 'bad name' }
    });
    expect(
      screen.getByText('1 to 64 letters, digits, "-" or "_"')
    ).toBeTruthy();
    expect(screen.getByLabelText('Stop after (hours, 1 to 24)')).toBeTruthy();
  });

  it("says which API the profile's cloud lacks, and offers no choice of API", async () => {
    const wording =
      'The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API.';
    const refusal = {
      code: 'NOT_OFFERED',
      message: 'the English the server sends',
      params: { reason: 'devenviron', cloud: 'Huawei Cloud' }
    };
    await act(async () => {
      render(
        <NewInstanceForm
          apis={['notebooks']}
          unavailable={{ devenv: refusal }}
          initial={emptyForm('notebooks')}
          serverErrors={{}}
          trans={trans}
          loadOptions={async () => ({ ...options, api: 'notebooks' })}
          onChange={() => undefined}
        />
      );
    });
    expect(screen.getByRole('note').textContent).toBe(wording);
    expect(screen.queryByLabelText('API')).toBeNull();
  });
});
