import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  APIError,
  createWorkspace,
  deleteWorkspace,
  getWorkspace,
  IWorkspace,
  IWorkspaceDetails,
  IWorkspaceInput,
  IWorkspaceQuota,
  listWorkspaces,
  updateWorkspace,
  updateWorkspaceQuotas,
  workspaceQuotas
} from '../api';
import { confirmDelete } from '../components/confirmDelete';
import { LabeledField } from '../components/LabeledField';
import { describeError } from '../errors';

/** The id of the default workspace: it cannot be renamed or deleted. */
const DEFAULT_WORKSPACE = '0';
/** 004 §8: 4 to 64 letters, Chinese characters, digits, `-` or `_`. */
const NAME_PATTERN = /^[A-Za-z0-9\u4e00-\u9fa5_-]{4,64}$/;
const DESCRIPTION_MAX = 256;

type FieldErrors = Record<string, string>;

export interface IWorkspacesManagerProps {
  trans: TranslationBundle;
  /** A workspace was created, renamed or deleted: the header's picker reloads. */
  onChanged: () => void;
}

function validateInput(
  input: IWorkspaceInput,
  trans: TranslationBundle,
  nameRequired: boolean
): FieldErrors {
  const errors: FieldErrors = {};
  const name = input.name ?? '';
  if (name === '' && nameRequired) {
    errors.name = trans.__('Required');
  } else if (name !== '' && !NAME_PATTERN.test(name)) {
    errors.name = trans.__(
      'Use 4 to 64 letters, Chinese characters, digits, hyphens (-) or underscores (_).'
    );
  } else if (name.toLowerCase() === 'default') {
    errors.name = trans.__('"default" is reserved.');
  }
  if ((input.description ?? '').length > DESCRIPTION_MAX) {
    errors.description = trans.__(
      'At most %1 characters.',
      String(DESCRIPTION_MAX)
    );
  }
  return errors;
}

/** A server error on a field goes under that field; anything else above the form. */
function errorsFrom(error: unknown, trans: TranslationBundle): FieldErrors {
  const message = describeError(error, trans);
  if (error instanceof APIError && error.field) {
    return { [error.field.replace(/\[.*$/, '').split('.')[0]]: message };
  }
  return { '': message };
}

function Field(props: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}): JSX.Element {
  return <LabeledField {...props} className="jp-ModelArts-workspaceField" />;
}

/** Name and description, for a new workspace or a change to one. */
function WorkspaceForm(props: {
  idPrefix: string;
  initial: IWorkspaceInput;
  submitLabel: string;
  nameRequired: boolean;
  nameLocked?: boolean;
  trans: TranslationBundle;
  onSubmit: (input: IWorkspaceInput) => Promise<void>;
}): JSX.Element {
  const { trans } = props;
  const [input, setInput] = React.useState(props.initial);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [busy, setBusy] = React.useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const found = validateInput(input, trans, props.nameRequired);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit(input);
    } catch (error) {
      setErrors(errorsFrom(error, trans));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="jp-ModelArts-workspaceForm" onSubmit={submit} noValidate>
      {errors[''] && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {errors['']}
        </p>
      )}
      <Field
        id={`${props.idPrefix}-name`}
        label={trans.__('Name')}
        error={errors.name}
      >
        <input
          id={`${props.idPrefix}-name`}
          className="jp-mod-styled"
          value={input.name ?? ''}
          disabled={props.nameLocked}
          aria-invalid={errors.name ? true : undefined}
          onChange={event => setInput({ ...input, name: event.target.value })}
        />
      </Field>
      <Field
        id={`${props.idPrefix}-description`}
        label={trans.__('Description')}
        error={errors.description}
      >
        <textarea
          id={`${props.idPrefix}-description`}
          className="jp-mod-styled"
          value={input.description ?? ''}
          aria-invalid={errors.description ? true : undefined}
          onChange={event =>
            setInput({ ...input, description: event.target.value })
          }
        />
      </Field>
      <button
        type="submit"
        className="jp-mod-styled jp-mod-accept"
        disabled={busy}
      >
        {props.submitLabel}
      </button>
    </form>
  );
}

function quotaUnit(quota: IWorkspaceQuota): string {
  return quota.unit_en ?? '';
}

/** Each resource's quota, editable; Save sends only the changed ones. */
function QuotasForm(props: {
  workspaceId: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans, workspaceId } = props;
  const [quotas, setQuotas] = React.useState<IWorkspaceQuota[] | null>(null);
  const [edits, setEdits] = React.useState<Record<string, string>>({});
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [saved, setSaved] = React.useState(false);
  const load = React.useCallback(
    () =>
      workspaceQuotas(workspaceId).then(setQuotas, error =>
        setErrors(errorsFrom(error, trans))
      ),
    [workspaceId, trans]
  );
  React.useEffect(() => {
    void load();
  }, [load]);
  if (quotas === null) {
    return <p>{errors[''] ?? trans.__('Loading quotas…')}</p>;
  }
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const found: FieldErrors = {};
    const changes: { resource: string; quota: number }[] = [];
    for (const quota of quotas) {
      const text = edits[quota.resource];
      if (text === undefined || text === String(quota.quota ?? '')) {
        continue;
      }
      const value = Number(text.trim());
      const max = quota.max_quota ?? Number.MAX_SAFE_INTEGER;
      if (
        !Number.isInteger(value) ||
        (value !== -1 && (value < 1 || value > max))
      ) {
        found[quota.resource] = trans.__(
          'Enter -1 (unlimited) or a whole number from 1 to %1.',
          String(max)
        );
      } else {
        changes.push({ resource: quota.resource, quota: value });
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || changes.length === 0) {
      return;
    }
    try {
      await updateWorkspaceQuotas(workspaceId, changes);
      setEdits({});
      await load();
      setSaved(true);
    } catch (error) {
      setErrors({ '': describeError(error, trans) });
    }
  };
  return (
    <form className="jp-ModelArts-workspaceQuotas" onSubmit={save} noValidate>
      <h4>{trans.__('Quotas')}</h4>
      {errors[''] && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {errors['']}
        </p>
      )}
      {quotas.map(quota => {
        const id = `jp-ModelArts-quota-${workspaceId}-${quota.resource}`;
        return (
          <Field
            key={quota.resource}
            id={id}
            label={trans.__(
              '%1 (%2, used %3)',
              quota.name_en ?? quota.resource,
              quotaUnit(quota),
              String(quota.used_quota ?? 0)
            )}
            error={errors[quota.resource]}
          >
            <input
              id={id}
              className="jp-mod-styled"
              inputMode="numeric"
              value={edits[quota.resource] ?? String(quota.quota ?? '')}
              aria-invalid={errors[quota.resource] ? true : undefined}
              onChange={event =>
                setEdits({ ...edits, [quota.resource]: event.target.value })
              }
            />
          </Field>
        );
      })}
      <p className="jp-ModelArts-hint">{trans.__('-1 means unlimited.')}</p>
      <button type="submit" className="jp-mod-styled jp-mod-accept">
        {trans.__('Save quotas')}
      </button>
      {saved && <span role="status">{trans.__('Quotas saved.')}</span>}
    </form>
  );
}

function formatTime(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleString() : '';
}

/** One workspace: its details, a form to modify it, its quotas, and Delete. */
function WorkspaceDetails(props: {
  workspaceId: string;
  trans: TranslationBundle;
  onChanged: () => void;
  onDeleted: () => void;
}): JSX.Element {
  const { trans, workspaceId } = props;
  const [details, setDetails] = React.useState<IWorkspaceDetails | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const load = React.useCallback(
    () =>
      getWorkspace(workspaceId).then(
        found => {
          setDetails(found);
          setError(null);
        },
        failure => setError(describeError(failure, trans))
      ),
    [workspaceId, trans]
  );
  React.useEffect(() => {
    void load();
  }, [load]);
  if (!details) {
    return (
      <p role={error ? 'alert' : undefined}>{error ?? trans.__('Loading…')}</p>
    );
  }
  const isDefault = details.id === DEFAULT_WORKSPACE;
  const remove = async () => {
    const ok = await confirmDelete(
      trans,
      trans.__('Delete workspace'),
      trans.__('Delete workspace %1?', details.name ?? details.id)
    );
    if (!ok) {
      return;
    }
    try {
      await deleteWorkspace(details.id);
      props.onDeleted();
    } catch (failure) {
      setError(describeError(failure, trans));
    }
  };
  return (
    <div className="jp-ModelArts-workspaceDetails">
      <dl>
        <dt>{trans.__('ID')}</dt>
        <dd>{details.id}</dd>
        <dt>{trans.__('Status')}</dt>
        <dd>{details.status ?? ''}</dd>
        <dt>{trans.__('Owner')}</dt>
        <dd>{details.owner ?? ''}</dd>
        <dt>{trans.__('Access')}</dt>
        <dd>{details.auth_type ?? ''}</dd>
        <dt>{trans.__('Created')}</dt>
        <dd>{formatTime(details.create_time)}</dd>
        <dt>{trans.__('Description')}</dt>
        <dd className="jp-ModelArts-workspaceDescription">
          {details.description ?? ''}
        </dd>
      </dl>
      {error && (
        <p className="jp-ModelArts-fieldError" role="alert">
          {error}
        </p>
      )}
      <h4>{trans.__('Modify')}</h4>
      <WorkspaceForm
        key={`${details.id}-${details.update_time ?? ''}`}
        idPrefix={`jp-ModelArts-workspace-${details.id}`}
        initial={{
          name: isDefault ? trans.__('default') : (details.name ?? ''),
          description: details.description ?? ''
        }}
        nameLocked={isDefault}
        nameRequired={false}
        submitLabel={trans.__('Save changes')}
        trans={trans}
        onSubmit={async input => {
          const changes: IWorkspaceInput = {};
          if (!isDefault && input.name !== details.name) {
            changes.name = input.name;
          }
          if (input.description !== (details.description ?? '')) {
            changes.description = input.description;
          }
          if (Object.keys(changes).length === 0) {
            return;
          }
          await updateWorkspace(details.id, changes);
          await load();
          props.onChanged();
        }}
      />
      <QuotasForm workspaceId={details.id} trans={trans} />
      {!isDefault && (
        <button
          className="jp-mod-styled jp-mod-warn"
          onClick={() => void remove()}
        >
          {trans.__('Delete workspace')}
        </button>
      )}
    </div>
  );
}

/** Manage workspaces: list, create, show, modify, delete and set quotas (WS-1 ... WS-7). */
export function WorkspacesManager(props: IWorkspacesManagerProps): JSX.Element {
  const { trans } = props;
  const [workspaces, setWorkspaces] = React.useState<IWorkspace[]>([]);
  const [selected, setSelected] = React.useState<string | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [formKey, setFormKey] = React.useState(0);
  const load = React.useCallback(
    () =>
      listWorkspaces().then(
        found => {
          setWorkspaces(found);
          setError(null);
        },
        failure => setError(describeError(failure, trans))
      ),
    [trans]
  );
  React.useEffect(() => {
    void load();
  }, [load]);
  const changed = async () => {
    await load();
    props.onChanged();
  };
  return (
    <div className="jp-ModelArts-workspaces">
      <section>
        <h3>{trans.__('New workspace')}</h3>
        <WorkspaceForm
          key={formKey}
          idPrefix="jp-ModelArts-newWorkspace"
          initial={{ name: '', description: '' }}
          nameRequired={true}
          submitLabel={trans.__('Create workspace')}
          trans={trans}
          onSubmit={async input => {
            const created = await createWorkspace({
              name: input.name,
              ...(input.description ? { description: input.description } : {})
            });
            setFormKey(formKey + 1);
            setSelected(created.id);
            await changed();
          }}
        />
      </section>
      <section>
        <h3>{trans.__('Workspaces')}</h3>
        {error && (
          <p className="jp-ModelArts-fieldError" role="alert">
            {error}
          </p>
        )}
        <ul
          className="jp-ModelArts-workspaceList"
          aria-label={trans.__('Workspaces')}
        >
          {workspaces.map(workspace => (
            <li key={workspace.id} data-workspace-id={workspace.id}>
              <button
                className="jp-mod-styled"
                aria-pressed={selected === workspace.id}
                onClick={() =>
                  setSelected(selected === workspace.id ? null : workspace.id)
                }
              >
                {workspace.id === DEFAULT_WORKSPACE
                  ? trans.__('default')
                  : (workspace.name ?? workspace.id)}
              </button>
              <span className="jp-ModelArts-workspaceStatus">
                {workspace.status ?? ''}
              </span>
              {selected === workspace.id && (
                <WorkspaceDetails
                  workspaceId={workspace.id}
                  trans={trans}
                  onChanged={() => void changed()}
                  onDeleted={() => {
                    setSelected(null);
                    void changed();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
