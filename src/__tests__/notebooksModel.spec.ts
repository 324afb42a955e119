import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { describe, expect, it, vi } from 'vitest';

import { IInstance } from '../notebooks/api';
import { InstancesModel, ITransition } from '../notebooks/model';

const instance: IInstance = {
  key: 'devenv/DE-1',
  api: 'devenv',
  id: 'DE-1',
  name: 'nb',
  description: '',
  status: 'CREATING',
  phase: 'transitional',
  flavor: 'modelarts.vm.cpu.2u',
  image: 'Python3',
  created_at: 1,
  auto_stop: null,
  url: null,
  failure: null,
  queue: null,
  actions: {
    stop: {
      code: 'INSTANCE_SETTLING',
      message: 'the instance is CREATING: wait until it settles',
      params: { status: 'CREATING' }
    }
  }
};

vi.mock('../notebooks/api', () => ({
  listInstances: async () => ({
    profile: 'local',
    apis: ['devenv', 'notebooks'],
    items: [instance]
  })
}));

class FakeEvents {
  received = new Signal<any, any>(this);
}

class FakeAccount {
  changed = new Signal<any, void>(this);
  state = { kind: 'loading' };
}

describe('InstancesModel', () => {
  it('follows the event stream of its profile and reports status changes', async () => {
    const events = new FakeEvents();
    const model = new InstancesModel(
      events as any,
      new FakeAccount() as any,
      nullTranslator.load('jupyterlab_modelarts')
    );
    await model.refresh();
    expect(model.apis).toEqual(['devenv', 'notebooks']);
    const transitions: ITransition[] = [];
    model.transitioned.connect((_, change) => transitions.push(change));

    const running = { ...instance, status: 'RUNNING', phase: 'running' };
    events.received.emit({
      type: 'resource',
      data: {
        kind: 'instances',
        profile: 'other',
        change: 'upsert',
        id: instance.key,
        item: running
      }
    });
    expect(model.items[0].status).toBe('CREATING');

    events.received.emit({
      type: 'resource',
      data: {
        kind: 'instances',
        profile: 'local',
        change: 'upsert',
        id: instance.key,
        item: running
      }
    });
    expect(model.items[0].status).toBe('RUNNING');
    expect(transitions.map(t => [t.before.status, t.after.status])).toEqual([
      ['CREATING', 'RUNNING']
    ]);

    events.received.emit({
      type: 'resource',
      data: {
        kind: 'instances',
        profile: 'local',
        change: 'remove',
        id: instance.key,
        item: null
      }
    });
    expect(model.items).toEqual([]);
  });
});
