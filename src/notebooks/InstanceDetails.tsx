import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IdText } from '../components/IdText';
import { IInstance } from './api';
import { formatDate } from '../format';
import { statusLabel } from '../wording';

/** Every field of an instance, its failure and queue, and the upstream record. */
export function InstanceDetails(props: {
  instance: IInstance;
  trans: TranslationBundle;
}): JSX.Element {
  const { instance, trans } = props;
  const rows: [string, React.ReactNode][] = [
    [trans.__('Name'), instance.name],
    [trans.__('ID'), <IdText id={instance.id} trans={trans} />],
    [trans.__('API'), instance.api],
    [trans.__('Status'), statusLabel(instance.status, trans)],
    [trans.__('Description'), instance.description],
    [trans.__('Flavor'), instance.flavor ?? ''],
    [trans.__('Image'), instance.image ?? ''],
    [trans.__('Created'), formatDate(instance.created_at)],
    [
      trans.__('Auto stop'),
      instance.auto_stop?.enabled
        ? trans.__(
            'after %1 h',
            (instance.auto_stop.duration_ms ?? 0) / 3_600_000
          )
        : trans.__('off')
    ],
    [trans.__('Stops at'), formatDate(instance.auto_stop?.stop_at ?? null)]
  ];
  if (instance.failure) {
    rows.push([trans.__('Failure'), instance.failure]);
  }
  if (instance.queue) {
    rows.push([
      trans.__('Queue'),
      trans.__(
        'position %1, until %2',
        instance.queue.rank ?? '?',
        formatDate(instance.queue.ends_at)
      )
    ]);
  }
  return (
    <div className="jp-ModelArts-instanceDetails">
      <table>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {instance.raw && (
        <details>
          <summary>{trans.__('Record from the API')}</summary>
          <pre>{JSON.stringify(instance.raw, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}
