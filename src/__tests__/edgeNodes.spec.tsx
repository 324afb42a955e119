import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import { APIError } from '../api';
import { deployApi } from '../deploy/api';
import { EdgeNodes } from '../deploy/EdgeNodes';

const trans = nullTranslator.load('jupyterlab_modelarts');

describe('the edge nodes of an edge service', () => {
  it('start the service on a node, or say in words that the node is not deployed', async () => {
    const set = vi
      .spyOn(deployApi, 'setNodeStatus')
      .mockResolvedValueOnce({})
      .mockRejectedValueOnce(
        new APIError(
          'Edge node n2 is not deployed',
          404,
          'UPSTREAM',
          undefined,
          {
            error_code: 'ModelArts.3512'
          }
        )
      );
    render(
      <EdgeNodes
        service={{
          service_id: 's1',
          service_name: 'edge',
          status: 'running',
          infer_type: 'edge',
          config: [{ model_id: 'm', nodes: ['n1', 'n2'] }]
        }}
        trans={trans}
      />
    );
    const [first, second] = screen.getAllByRole('button', {
      name: 'Start on node'
    });
    fireEvent.click(first);
    expect(await screen.findByText('running')).toBeTruthy();
    fireEvent.click(second);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Edge node n2 is not deployed: the account has no edge node with this id (ModelArts.3512).'
    );
    expect(set.mock.calls).toEqual([
      ['s1', 'n1', 'running'],
      ['s1', 'n2', 'running']
    ]);
  });
});
