import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { APIError } from '../api';
import { describeError } from '../errors';
import { deployApi, IService } from './api';

/** 004 §10.2: the node is not an edge node of the account (Local ModelArts has none). */
const EDGE_NODE_NOT_DEPLOYED = 'ModelArts.3512';

function nodeError(
  error: unknown,
  nodeId: string,
  trans: TranslationBundle
): string {
  if (
    error instanceof APIError &&
    error.upstream?.error_code === EDGE_NODE_NOT_DEPLOYED
  ) {
    return trans.__(
      'Edge node %1 is not deployed: the account has no edge node with this id (%2).',
      nodeId,
      EDGE_NODE_NOT_DEPLOYED
    );
  }
  return describeError(error, trans);
}

/** The edge nodes of an edge service, each started or stopped on its own (SV-4). */
export function EdgeNodes(props: {
  service: IService;
  trans: TranslationBundle;
}): JSX.Element {
  const { service, trans } = props;
  const nodes = [
    ...new Set(
      (service.config ?? []).flatMap(entry =>
        Array.isArray(entry.nodes) ? (entry.nodes as string[]) : []
      )
    )
  ];
  const [states, setStates] = React.useState<Record<string, string>>({});
  const [errors, setErrors] = React.useState<Record<string, string>>({});
  const set = async (nodeId: string, status: 'running' | 'stopped') => {
    try {
      await deployApi.setNodeStatus(service.service_id, nodeId, status);
      setStates({ ...states, [nodeId]: status });
      setErrors({ ...errors, [nodeId]: '' });
    } catch (error) {
      setErrors({ ...errors, [nodeId]: nodeError(error, nodeId, trans) });
    }
  };
  return (
    <details open className="jp-ModelArts-edgeNodes">
      <summary>{trans.__('Edge nodes')}</summary>
      {nodes.length === 0 && (
        <p className="jp-ModelArts-empty">
          {trans.__('The service names no edge node.')}
        </p>
      )}
      <ul>
        {nodes.map(nodeId => (
          <li key={nodeId} data-node={nodeId}>
            <span>{nodeId}</span>
            <span className="jp-ModelArts-edgeNodeState">
              {states[nodeId] === 'running'
                ? trans.__('running')
                : states[nodeId] === 'stopped'
                  ? trans.__('stopped')
                  : ''}
            </span>
            <button
              className="jp-mod-styled"
              onClick={() => void set(nodeId, 'running')}
            >
              {trans.__('Start on node')}
            </button>
            <button
              className="jp-mod-styled"
              onClick={() => void set(nodeId, 'stopped')}
            >
              {trans.__('Stop on node')}
            </button>
            {errors[nodeId] && (
              <span className="jp-ModelArts-fieldError" role="alert">
                {errors[nodeId]}
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
