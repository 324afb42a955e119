import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { IdText } from '../components/IdText';
import { RowActions } from '../components/RowActions';
import { describeError } from '../errors';
import { formatCount, formatDate, formatPercent } from '../format';
import { serviceTypeLabel, statusLabel } from '../wording';
import { ServerEvents } from '../model/events';
import { deployApi, IService, ISpecification } from './api';
import { useLiveList } from './live';
import { TestPanel } from './TestPanel';
import { EdgeNodes } from './EdgeNodes';

const ONLINE = new Set(['running', 'concerning']);
const STARTABLE = new Set(['stopped', 'failed', 'finished']);

/** The Services section: status, detail, actions and the Test panel. */
export function Services(props: {
  events: ServerEvents;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const { items, error } = useLiveList<IService>(
    deployApi.services,
    props.events,
    'services'
  );
  const [open, setOpen] = React.useState<string | null>(null);
  const [actionError, setActionError] = React.useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setActionError(null);
    } catch (e) {
      setActionError(describeError(e, trans));
    }
  };
  const remove = async (service: IService) => {
    const answer = await showDialog({
      title: trans.__('Delete service'),
      body: trans.__('Delete service %1?', service.service_name),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Delete') })
      ]
    });
    if (answer.button.accept) {
      await act(() => deployApi.deleteService(service.service_id));
    }
  };

  return (
    <div className="jp-ModelArts-list jp-ModelArts-services">
      {error !== null && (
        <div className="jp-ModelArts-formError">
          {describeError(error, trans)}
        </div>
      )}
      {actionError && (
        <div className="jp-ModelArts-formError">{actionError}</div>
      )}
      {items.length === 0 && error === null && (
        <div className="jp-ModelArts-empty">{trans.__('No services.')}</div>
      )}
      {items.map(service => (
        <div
          key={service.service_id}
          className="jp-ModelArts-row"
          data-id={service.service_id}
          data-name={service.service_name}
        >
          <div className="jp-ModelArts-rowMain">
            <button
              className="jp-ModelArts-rowName"
              onClick={() =>
                setOpen(open === service.service_id ? null : service.service_id)
              }
            >
              {service.service_name}
            </button>
            <span className="jp-ModelArts-rowType">
              {serviceTypeLabel(service.infer_type, trans)}
            </span>
            <span className="jp-ModelArts-chip" data-status={service.status}>
              {statusLabel(service.status, trans)}
            </span>
            <RowActions
              trans={trans}
              primary={[
                ONLINE.has(service.status)
                  ? {
                      label: trans.__('Stop'),
                      reason: null,
                      run: () =>
                        void act(() =>
                          deployApi.setRunning(service.service_id, false)
                        )
                    }
                  : {
                      label: trans.__('Start'),
                      reason: STARTABLE.has(service.status)
                        ? null
                        : trans.__('The service is not stopped'),
                      run: () =>
                        void act(() =>
                          deployApi.setRunning(service.service_id, true)
                        )
                    }
              ]}
              secondary={[
                {
                  label: trans.__('Delete'),
                  reason: null,
                  run: () => void remove(service)
                }
              ]}
            />
          </div>
          {open === service.service_id && (
            <ServiceDetail
              serviceId={service.service_id}
              status={service.status}
              trans={trans}
            />
          )}
        </div>
      ))}
    </div>
  );
}

interface IMonitor {
  model_name?: string;
  invocation_times?: number;
  failed_times?: number;
  cpu_core_usage?: string;
  cpu_core_total?: string;
  cpu_memory_usage?: number;
  cpu_memory_total?: number;
}

function ServiceDetail(props: {
  serviceId: string;
  status: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { serviceId, status, trans } = props;
  const [detail, setDetail] = React.useState<IService | null>(null);
  const [events, setEvents] = React.useState<Record<string, any>[]>([]);
  const [logs, setLogs] = React.useState<Record<string, any>[]>([]);
  const [monitors, setMonitors] = React.useState<IMonitor[]>([]);
  const [specs, setSpecs] = React.useState<ISpecification[]>([]);
  const [error, setError] = React.useState<string | null>(null);
  const [count, setCount] = React.useState(1);
  const [spec, setSpec] = React.useState('');

  React.useEffect(() => {
    const online = ONLINE.has(status);
    Promise.all([
      deployApi.service(serviceId),
      deployApi.serviceInfo<Record<string, any>>(serviceId, 'events', 'events'),
      online
        ? deployApi.serviceInfo<Record<string, any>>(serviceId, 'logs', 'logs')
        : [],
      online
        ? deployApi.serviceInfo<IMonitor>(serviceId, 'monitor', 'monitors')
        : [],
      deployApi.specifications('real-time')
    ]).then(
      ([found, foundEvents, foundLogs, foundMonitors, foundSpecs]) => {
        setDetail(found);
        setEvents(foundEvents);
        setLogs(foundLogs);
        setMonitors(foundMonitors);
        setSpecs(foundSpecs);
        const first = found.config?.[0] ?? {};
        setCount(first.instance_count ?? 1);
        setSpec(first.specification ?? '');
      },
      e => setError(describeError(e, trans))
    );
  }, [serviceId, status]);

  const update = () =>
    deployApi
      .updateService(serviceId, { instance_count: count, specification: spec })
      .then(() => setError(null))
      .catch(e => setError(describeError(e, trans)));

  if (!detail) {
    return (
      <div className="jp-ModelArts-detail">{error ?? trans.__('Loading…')}</div>
    );
  }
  return (
    <div className="jp-ModelArts-detail">
      {error && <div className="jp-ModelArts-formError">{error}</div>}
      {detail.error_msg && (
        <div className="jp-ModelArts-formError">{detail.error_msg}</div>
      )}
      <dl>
        <dt>{trans.__('Id')}</dt>
        <dd>
          <IdText id={serviceId} trans={trans} />
        </dd>
        <dt>{trans.__('Access address')}</dt>
        <dd className="jp-ModelArts-address">{detail.access_address ?? ''}</dd>
        <dt>{trans.__('Models')}</dt>
        <dd>
          {(detail.config ?? []).map(entry => (
            <div key={entry.model_id}>
              {entry.model_name} {entry.model_version} · {entry.specification} ·{' '}
              {trans.__('%1 instances', entry.instance_count)}
              {entry.weight !== undefined ? ` · ${entry.weight}%` : ''}
            </div>
          ))}
        </dd>
      </dl>
      <div className="jp-ModelArts-scale">
        <input
          type="number"
          min={1}
          aria-label={trans.__('Instances')}
          value={count}
          onChange={e => setCount(Number(e.target.value))}
        />
        <select
          aria-label={trans.__('Specification')}
          value={spec}
          onChange={e => setSpec(e.target.value)}
        >
          {specs.map(s => (
            <option key={s.specification} value={s.specification}>
              {s.specification}
            </option>
          ))}
        </select>
        <button
          className="jp-mod-styled"
          disabled={!ONLINE.has(status) && !STARTABLE.has(status)}
          onClick={() => void update()}
        >
          {trans.__('Update')}
        </button>
      </div>
      {detail.infer_type === 'edge' && (
        <EdgeNodes service={detail} trans={trans} />
      )}
      {monitors.length > 0 && (
        <MonitorChart monitors={monitors} trans={trans} />
      )}
      {ONLINE.has(status) && detail.infer_type === 'real-time' && (
        <details open>
          <summary>{trans.__('Test')}</summary>
          <TestPanel serviceId={serviceId} trans={trans} />
        </details>
      )}
      <details>
        <summary>{trans.__('Events')}</summary>
        <ul className="jp-ModelArts-events jp-ModelArts-upstream">
          {events.map((event, index) => (
            <li key={index} data-type={event.event_type}>
              {formatDate(event.occur_time)} {event.event_info}
            </li>
          ))}
        </ul>
      </details>
      <details>
        <summary>{trans.__('Update logs')}</summary>
        <ul className="jp-ModelArts-events jp-ModelArts-upstream">
          {logs.map((log, index) => (
            <li key={index}>
              {formatDate(log.update_time)} {log.result}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** Bars of CPU, memory, calls and failures per model, as fractions or counts. */
function MonitorChart(props: {
  monitors: IMonitor[];
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const bars = props.monitors.flatMap(m => {
    const cpu =
      Number(m.cpu_core_usage ?? 0) /
      Math.max(Number(m.cpu_core_total ?? 1), 1);
    const memory =
      (m.cpu_memory_usage ?? 0) / Math.max(m.cpu_memory_total ?? 1, 1);
    const calls = m.invocation_times ?? 0;
    const failed = m.failed_times ?? 0;
    return [
      { label: trans.__('CPU'), value: cpu, text: formatPercent(cpu) },
      {
        label: trans.__('Memory'),
        value: memory,
        text: formatPercent(memory)
      },
      {
        label: trans.__('Calls'),
        value: calls ? 1 : 0,
        text: formatCount(calls)
      },
      {
        label: trans.__('Failed'),
        value: calls ? failed / calls : 0,
        text: formatCount(failed)
      }
    ];
  });
  const width = 220;
  return (
    <svg
      className="jp-ModelArts-monitor"
      width={width}
      height={bars.length * 16}
      role="img"
      aria-label={trans.__('Monitor data')}
    >
      {bars.map((bar, index) => (
        <g key={index} transform={`translate(0, ${index * 16})`}>
          <text x={0} y={11}>
            {bar.label}
          </text>
          <rect
            x={60}
            y={3}
            height={9}
            width={Math.max(1, Math.min(1, bar.value) * 110)}
          />
          <text x={176} y={11}>
            {bar.text}
          </text>
        </g>
      ))}
    </svg>
  );
}
