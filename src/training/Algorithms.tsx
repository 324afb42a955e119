import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { describeError } from '../errors';
import { IAlgorithm, trainingApi } from './api';

interface IAlgorithmParameter {
  label: string;
  value?: string;
  placeholder_en?: string;
  placeholder_cn?: string;
  required?: boolean;
}

/** TJ-12's `parameter`: a list, or (as 004 §5.1.12 prints it) a JSON list in a string. */
export function algorithmParameters(parameter: unknown): IAlgorithmParameter[] {
  let value = parameter;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return Array.isArray(value)
    ? value.filter(
        (p): p is IAlgorithmParameter =>
          typeof p === 'object' && p !== null && typeof p.label === 'string'
      )
    : [];
}

function usage(code: number | null | undefined, trans: TranslationBundle) {
  // 004 Table 5-63: model_usage.
  const words: Record<number, string> = {
    1: trans.__('Image classification'),
    2: trans.__('Object class and location'),
    3: trans.__('Image semantic segmentation'),
    4: trans.__('Natural language processing'),
    5: trans.__('Image embedding')
  };
  return code ? (words[code] ?? String(code)) : '';
}

function AlgorithmDetails(props: {
  algorithm: IAlgorithm & Record<string, unknown>;
  trans: TranslationBundle;
}): JSX.Element {
  const { algorithm, trans } = props;
  const parameters = algorithmParameters(algorithm.parameter);
  const text = (key: string) =>
    typeof algorithm[key] === 'string' ? (algorithm[key] as string) : '';
  return (
    <div className="jp-ModelArts-algorithmDetails">
      <dl>
        <dt>{trans.__('Usage')}</dt>
        <dd>{usage(algorithm.model_usage, trans)}</dd>
        <dt>{trans.__('Precision')}</dt>
        <dd>{algorithm.model_precision ?? ''}</dd>
        <dt>{trans.__('AI engine')}</dt>
        <dd>{algorithm.engine_version ?? algorithm.engine_name ?? ''}</dd>
        <dt>{trans.__('Training data set')}</dt>
        <dd>{text('model_train_dataset')}</dd>
        <dt>{trans.__('Data format')}</dt>
        <dd>{text('model_dataset_format')}</dd>
      </dl>
      <table className="jp-ModelArts-algorithmParameters">
        <caption>{trans.__('Run parameters')}</caption>
        <thead>
          <tr>
            <th>{trans.__('Parameter')}</th>
            <th>{trans.__('Default')}</th>
            <th>{trans.__('Meaning')}</th>
          </tr>
        </thead>
        <tbody>
          {parameters.map(parameter => (
            <tr key={parameter.label}>
              <td>{parameter.label}</td>
              <td>{parameter.value ?? ''}</td>
              <td>
                {parameter.placeholder_en ||
                  parameter.placeholder_cn ||
                  (parameter.required ? trans.__('required') : '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The built-in algorithms (TJ-12), searchable, each with its description and parameters. */
export function Algorithms(props: { trans: TranslationBundle }): JSX.Element {
  const { trans } = props;
  const [search, setSearch] = React.useState('');
  const [algorithms, setAlgorithms] = React.useState<IAlgorithm[] | null>(null);
  const [open, setOpen] = React.useState<number | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const load = React.useCallback(
    (query: string) =>
      trainingApi.algorithms(query).then(
        found => {
          setAlgorithms(found);
          setError(null);
        },
        failure => setError(describeError(failure, trans))
      ),
    [trans]
  );
  React.useEffect(() => {
    void load('');
  }, [load]);
  return (
    <div className="jp-ModelArts-algorithms">
      <form
        onSubmit={event => {
          event.preventDefault();
          void load(search.trim());
        }}
      >
        <label htmlFor="jp-ModelArts-algorithmSearch">
          {trans.__('Search algorithms')}
        </label>
        <input
          id="jp-ModelArts-algorithmSearch"
          className="jp-mod-styled"
          value={search}
          onChange={event => setSearch(event.target.value)}
        />
        <button type="submit" className="jp-mod-styled">
          {trans.__('Search')}
        </button>
      </form>
      {error && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {error}
        </p>
      )}
      {algorithms?.length === 0 && (
        <p className="jp-ModelArts-empty">
          {trans.__('No built-in algorithm matches.')}
        </p>
      )}
      <ul aria-label={trans.__('Built-in algorithms')}>
        {(algorithms ?? []).map(algorithm => (
          <li key={algorithm.model_id}>
            <button
              className="jp-mod-styled"
              aria-expanded={open === algorithm.model_id}
              onClick={() =>
                setOpen(open === algorithm.model_id ? null : algorithm.model_id)
              }
            >
              {algorithm.model_name ?? String(algorithm.model_id)}
            </button>
            <span>{usage(algorithm.model_usage, trans)}</span>
            {open === algorithm.model_id && (
              <AlgorithmDetails
                algorithm={algorithm as IAlgorithm & Record<string, unknown>}
                trans={trans}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
