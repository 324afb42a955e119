import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { describeError } from '../errors';
import { formatCount, formatTime } from '../format';
import { deployApi, IPrediction } from './api';

const KEEP = 5;

interface ISent {
  at: string;
  request: string;
  answer: IPrediction | null;
  error: string | null;
}

/** The last requests of each service, for this tab. */
const history = new Map<string, ISent[]>();
/** The body last typed for each service, for this tab. */
const drafts = new Map<string, string>();

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * Send a JSON body or a file to a running service; the server forwards it to
 * the service's access address with the profile's credentials.
 */
export function TestPanel(props: {
  serviceId: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans, serviceId } = props;
  const [body, setBody] = React.useState(drafts.get(serviceId) ?? '');
  const [described, setDescribed] = React.useState(false);
  const [file, setFile] = React.useState<File | null>(null);
  const [sent, setSent] = React.useState<ISent[]>(history.get(serviceId) ?? []);
  const [busy, setBusy] = React.useState(false);
  const [invalid, setInvalid] = React.useState<string | null>(null);

  React.useEffect(() => {
    if (drafts.has(serviceId)) {
      return;
    }
    let current = true;
    void deployApi
      .requestExample(serviceId)
      .then(example => {
        if (current && example.body !== null && !drafts.has(serviceId)) {
          setBody(JSON.stringify(example.body));
          setDescribed(true);
        }
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [serviceId]);

  const send = async () => {
    let request: unknown;
    let label: string;
    if (file) {
      request = { file: { name: file.name, content: await readBase64(file) } };
      label = file.name;
    } else {
      try {
        request = { json: JSON.parse(body) };
      } catch (e) {
        setInvalid(trans.__('Not valid JSON: %1', String(e)));
        return;
      }
      label = body;
    }
    setInvalid(null);
    setBusy(true);
    const entry: ISent = {
      at: formatTime(Date.now()),
      request: label,
      answer: null,
      error: null
    };
    try {
      entry.answer = await deployApi.predict(serviceId, request);
    } catch (e) {
      entry.error = describeError(e, trans);
    }
    const next = [entry, ...sent].slice(0, KEEP);
    history.set(serviceId, next);
    setSent(next);
    setBusy(false);
  };

  return (
    <div className="jp-ModelArts-test">
      <textarea
        name="test_body"
        aria-label={trans.__('Request body (JSON)')}
        rows={4}
        value={body}
        placeholder='{"data": {"req_data": [{"x1": 0}]}}'
        disabled={file !== null}
        onChange={e => {
          drafts.set(serviceId, e.target.value);
          setBody(e.target.value);
        }}
      />
      {described && (
        <small className="jp-ModelArts-testHint">
          {trans.__(
            "Filled in from the model's request description: change the values."
          )}
        </small>
      )}
      {invalid && <div className="jp-ModelArts-fieldError">{invalid}</div>}
      <div className="jp-ModelArts-testActions">
        <input
          type="file"
          aria-label={trans.__('Send a file instead')}
          onChange={e => setFile(e.target.files?.[0] ?? null)}
        />
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={busy}
          onClick={() => void send()}
        >
          {busy ? trans.__('Sending…') : trans.__('Send')}
        </button>
      </div>
      {sent.map((entry, index) => (
        <div key={index} className="jp-ModelArts-testResult">
          <div className="jp-ModelArts-testMeta">
            <span>{entry.at}</span>
            {entry.answer && (
              <>
                <span
                  className="jp-ModelArts-chip"
                  data-status={entry.answer.status < 400 ? 'running' : 'failed'}
                >
                  {entry.answer.status}
                </span>
                <span>
                  {trans.__('%1 ms', formatCount(entry.answer.latency_ms))}
                </span>
              </>
            )}
          </div>
          <pre className="jp-ModelArts-testRequest">{entry.request}</pre>
          <pre className="jp-ModelArts-testAnswer">
            {entry.error ??
              (typeof entry.answer?.body === 'string'
                ? entry.answer.body
                : JSON.stringify(entry.answer?.body, null, 2))}
          </pre>
        </div>
      ))}
    </div>
  );
}
