import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describeError, errorMessage } from '../errors';
import {
  IFlavor,
  IInstanceOptions,
  instanceOptions,
  InstanceApi,
  UnavailableApis
} from './api';
import {
  autoStopHours,
  emptyForm,
  FormErrors,
  FormField,
  INewInstanceValues,
  validateForm
} from './form';

/** The APIs a profile offers, and those its cloud lacks with the server's refusal. */
export interface IApiChoices {
  apis: InstanceApi[];
  unavailable?: UnavailableApis;
}

export interface INewInstanceFormProps extends IApiChoices {
  initial: INewInstanceValues;
  /** What the server said about the submitted values, shown until the user edits. */
  serverErrors: FormErrors;
  trans: TranslationBundle;
  /** Options per API (tests pass them; the dialog loads them from the server). */
  loadOptions?: (api: InstanceApi) => Promise<IInstanceOptions>;
  onChange: (values: INewInstanceValues) => void;
}

/** The current Notebooks API first: the dialog opens on it where the profile offers it. */
export function orderedApis(apis: InstanceApi[]): InstanceApi[] {
  return [...apis].sort(
    (a, b) => Number(b === 'notebooks') - Number(a === 'notebooks')
  );
}

function apiLabel(api: InstanceApi, trans: TranslationBundle): string {
  switch (api) {
    case 'devenv':
      return trans.__('ModelArts DevEnviron (old API)');
    case 'notebooks':
      return trans.__('ModelArts Notebooks (new API)');
    default:
      return trans.__('PAI DSW');
  }
}

export function flavorSummary(
  flavor: IFlavor,
  trans: TranslationBundle
): string {
  const parts: string[] = [];
  if (flavor.cpu !== null) {
    parts.push(trans.__('%1 vCPU', flavor.cpu));
  }
  if (flavor.gpu) {
    parts.push(
      flavor.gpu_type
        ? trans.__('%1 GPU (%2)', flavor.gpu, flavor.gpu_type)
        : trans.__('%1 GPU', flavor.gpu)
    );
  }
  if (flavor.memory_gib !== null) {
    parts.push(trans.__('%1 GiB memory', flavor.memory_gib));
  }
  if (flavor.free) {
    parts.push(trans.__('free'));
  }
  if (flavor.sold_out) {
    parts.push(trans.__('sold out'));
  }
  return parts.join(', ');
}

/** One labelled control with its error underneath; `data-field` names it for tests. */
function Row(props: {
  field: FormField;
  label: string;
  error?: string;
  children: React.ReactElement;
}): JSX.Element {
  const id = `jp-ModelArts-newInstance-${props.field}`;
  return (
    <div className="jp-ModelArts-formField" data-field={props.field}>
      <label htmlFor={id}>{props.label}</label>
      {React.cloneElement(props.children, {
        id,
        'aria-invalid': props.error ? true : undefined
      })}
      {props.error && (
        <div className="jp-ModelArts-fieldError" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

/** The "New notebook" form: API, name, description, image, flavor, storage, auto stop. */
export function NewInstanceForm(props: INewInstanceFormProps): JSX.Element {
  const { trans } = props;
  const load = props.loadOptions ?? instanceOptions;
  const [values, setValues] = React.useState(props.initial);
  const [touched, setTouched] = React.useState<Set<string>>(new Set());
  const [options, setOptions] = React.useState<IInstanceOptions | null>(null);
  const [optionsError, setOptionsError] = React.useState<string | null>(null);

  React.useEffect(() => {
    let current = true;
    setOptions(null);
    load(values.api).then(
      found => {
        if (!current) {
          return;
        }
        setOptions(found);
        setOptionsError(null);
        // Sensible first choices, so a form that is left alone is valid.
        setValues(previous => {
          const next = {
            ...previous,
            image: previous.image || (found.images[0]?.id ?? ''),
            flavor:
              previous.flavor ||
              (found.flavors.find(flavor => !flavor.sold_out)?.id ?? ''),
            workspaceId: previous.workspaceId || (found.workspace_id ?? '')
          };
          props.onChange(next);
          return next;
        });
      },
      error => current && setOptionsError(describeError(error, trans))
    );
    return () => {
      current = false;
    };
  }, [values.api]);

  const localErrors = validateForm(values, options, trans);
  const errorOf = (field: FormField): string | undefined =>
    touched.has(field) ? localErrors[field] : props.serverErrors[field];
  const update = (
    field: FormField | 'api' | 'autoStop',
    change: Partial<INewInstanceValues>
  ) => {
    // From the latest state, not this render's: the options' first choices may have been set
    // since (a fast typist, or a browser test, fills the name before the form re-renders).
    setValues(previous => {
      const next = { ...previous, ...change };
      props.onChange(next);
      return next;
    });
    setTouched(previous => new Set(previous).add(field));
  };
  const text = (field: FormField, label: string, placeholder?: string) => (
    <Row field={field} label={label} error={errorOf(field)}>
      <input
        className="jp-mod-styled"
        type="text"
        autoComplete="off"
        placeholder={placeholder}
        value={values[field] as string}
        onChange={event => update(field, { [field]: event.target.value })}
      />
    </Row>
  );
  const { api } = values;
  const [minHours, maxHours] = autoStopHours(options);
  const chosenFlavor = options?.flavors.find(f => f.id === values.flavor);
  return (
    <form
      className="jp-ModelArts-newInstanceForm"
      onSubmit={event => event.preventDefault()}
    >
      {props.serverErrors.general && (
        <div className="jp-ModelArts-formError" role="alert">
          {props.serverErrors.general}
        </div>
      )}
      {optionsError && (
        <div className="jp-ModelArts-formError" role="alert">
          {optionsError}
        </div>
      )}
      {Object.entries(props.unavailable ?? {}).map(([missing, refusal]) => (
        <div
          key={missing}
          className="jp-ModelArts-formNote"
          role="note"
          data-api={missing}
        >
          {errorMessage(refusal, trans)}
        </div>
      ))}
      {props.apis.length > 1 && (
        <div className="jp-ModelArts-formField" data-field="api">
          <label htmlFor="jp-ModelArts-newInstance-api">
            {trans.__('API')}
          </label>
          <select
            id="jp-ModelArts-newInstance-api"
            className="jp-mod-styled"
            value={api}
            onChange={event => {
              const chosen = event.target.value as InstanceApi;
              // Choosing the API already chosen keeps the form: its options' first choices
              // would not be set again.
              if (chosen === values.api) {
                return;
              }
              update('api', {
                ...emptyForm(chosen),
                name: values.name,
                description: values.description
              });
            }}
          >
            {orderedApis(props.apis).map(choice => (
              <option key={choice} value={choice}>
                {apiLabel(choice, trans)}
              </option>
            ))}
          </select>
        </div>
      )}
      {text('name', trans.__('Name'))}
      {api !== 'pai' && text('description', trans.__('Description'))}
      {api === 'pai' ? (
        text('image', trans.__('Image URL (optional)'))
      ) : (
        <Row field="image" label={trans.__('Image')} error={errorOf('image')}>
          <select
            className="jp-mod-styled"
            value={values.image}
            onChange={event => update('image', { image: event.target.value })}
          >
            {(options?.images ?? []).map(image => (
              <option
                key={image.id}
                value={image.id}
                title={image.description}
                className="jp-ModelArts-upstream"
              >
                {image.name}
              </option>
            ))}
          </select>
        </Row>
      )}
      <Row field="flavor" label={trans.__('Flavor')} error={errorOf('flavor')}>
        <select
          className="jp-mod-styled"
          value={values.flavor}
          onChange={event => update('flavor', { flavor: event.target.value })}
        >
          {(options?.flavors ?? []).map(flavor => (
            <option
              key={flavor.id}
              value={flavor.id}
              disabled={flavor.sold_out && !flavor.free}
            >
              {`${flavor.name} (${flavorSummary(flavor, trans)})`}
            </option>
          ))}
        </select>
      </Row>
      {chosenFlavor?.description && (
        <div className="jp-ModelArts-formHint jp-ModelArts-upstream">
          {chosenFlavor.description}
        </div>
      )}
      {api !== 'pai' && (
        <Row
          field="storage"
          label={trans.__('Storage')}
          error={errorOf('storage')}
        >
          <select
            className="jp-mod-styled"
            value={values.storage}
            onChange={event =>
              update('storage', { storage: event.target.value })
            }
          >
            {(options?.storage ?? [values.storage]).map(kind => (
              <option key={kind} value={kind}>
                {kind.toUpperCase()}
              </option>
            ))}
          </select>
        </Row>
      )}
      {api === 'devenv' &&
        values.storage === 'obs' &&
        text(
          'obsPath',
          trans.__('OBS folder (empty: a new folder of this notebook)'),
          options?.obs_folder
            ? `${options.obs_folder}${values.name || trans.__('<name>')}/`
            : '/bucket/folder/'
        )}
      {((api === 'devenv' && values.storage !== 'obs') ||
        api === 'notebooks') &&
        text('volumeGb', trans.__('Disk size (GB)'))}
      {api !== 'pai' && (
        <label className="jp-ModelArts-formCheck">
          <input
            type="checkbox"
            name="autoStop"
            checked={values.autoStop}
            onChange={event =>
              update('autoStop', { autoStop: event.target.checked })
            }
          />
          {trans.__('Stop automatically')}
        </label>
      )}
      {api !== 'pai' &&
        values.autoStop &&
        text(
          'autoStopHours',
          trans.__('Stop after (hours, %1 to %2)', minHours, maxHours)
        )}
      {text('workspaceId', trans.__('Workspace'))}
    </form>
  );
}

/** The form as a dialog body whose value is what the user entered. */
export class NewInstanceBody
  extends ReactWidget
  implements Dialog.IBodyWidget<INewInstanceValues>
{
  constructor(private readonly props: Omit<INewInstanceFormProps, 'onChange'>) {
    super();
    this.addClass('jp-ModelArts-newInstanceDialog');
    this._values = props.initial;
  }

  getValue(): INewInstanceValues {
    return this._values;
  }

  protected render(): JSX.Element {
    return (
      <NewInstanceForm
        {...this.props}
        onChange={values => {
          this._values = values;
        }}
      />
    );
  }

  private _values: INewInstanceValues;
}
