import { TranslationBundle } from '@jupyterlab/translation';

import { IInstanceOptions, InstanceApi } from './api';

/** What the "New notebook" form holds, whichever API it creates with. */
export interface INewInstanceValues {
  api: InstanceApi;
  name: string;
  description: string;
  /** DevEnviron profile id, Notebooks image id or PAI image URL. */
  image: string;
  flavor: string;
  /** DevEnviron: obs | evs; Notebooks: EVS | EFS. */
  storage: string;
  obsPath: string;
  volumeGb: string;
  autoStop: boolean;
  autoStopHours: string;
  workspaceId: string;
}

/** The form's fields; errors are keyed by them. */
export type FormField =
  | 'name'
  | 'description'
  | 'image'
  | 'flavor'
  | 'storage'
  | 'obsPath'
  | 'volumeGb'
  | 'autoStopHours'
  | 'workspaceId';

export type FormErrors = Partial<Record<FormField | 'general', string>>;

/** Where each field goes in the API's create body: the server names fields so. */
const REQUEST_FIELDS: Record<
  InstanceApi,
  Partial<Record<FormField, string>>
> = {
  devenv: {
    name: 'name',
    description: 'description',
    image: 'profile_id',
    flavor: 'flavor',
    storage: 'spec.storage.type',
    obsPath: 'spec.storage.location.path',
    volumeGb: 'spec.storage.location.volume_size',
    autoStopHours: 'spec.auto_stop',
    workspaceId: 'workspace'
  },
  notebooks: {
    name: 'name',
    description: 'description',
    image: 'image_id',
    flavor: 'flavor',
    storage: 'volume.category',
    volumeGb: 'volume',
    autoStopHours: 'duration',
    workspaceId: 'workspace_id'
  },
  pai: {
    name: 'InstanceName',
    image: 'ImageUrl',
    flavor: 'EcsSpec',
    workspaceId: 'WorkspaceId'
  }
};

/** The form field a server error's `field` concerns (the longest matching prefix). */
export function formFieldOf(
  api: InstanceApi,
  serverField: string | undefined
): FormField | undefined {
  if (!serverField) {
    return undefined;
  }
  let found: FormField | undefined;
  let length = -1;
  for (const [field, path] of Object.entries(REQUEST_FIELDS[api])) {
    const matches =
      serverField === path ||
      serverField.startsWith(`${path}.`) ||
      serverField.startsWith(`${path}[`);
    if (matches && path.length > length) {
      found = field as FormField;
      length = path.length;
    }
  }
  return found;
}

// Seed rules (api-catalog.md §3): C1-C5 names, C13 PAI names, C15/C16 descriptions,
// C27 OBS folders, C28 EVS sizes, C40/C41 auto stop.
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PAI_NAME = /^[A-Za-z0-9_]{1,27}$/;
const DESCRIPTION_FORBIDDEN = '&<>"\'/';
const FOLDER_FORBIDDEN = /[><?*|"\\]/;
const HOUR_MS = 3_600_000;

export function emptyForm(api: InstanceApi): INewInstanceValues {
  return {
    api,
    name: '',
    description: '',
    image: '',
    flavor: '',
    storage: api === 'devenv' ? 'obs' : api === 'notebooks' ? 'EVS' : '',
    obsPath: '',
    volumeGb: api === 'devenv' ? '5' : '5',
    autoStop: api !== 'pai',
    autoStopHours: '1',
    workspaceId: ''
  };
}

/** Allowed auto-stop hours: the API's range (seconds or ms) converted for the user. */
export function autoStopHours(
  options: IInstanceOptions | null
): [number, number] {
  const range = options?.auto_stop;
  if (!range) {
    return [1, 24];
  }
  const perHour = range.unit === 's' ? 3600 : HOUR_MS;
  return [range.min / perHour, range.max / perHour];
}

/** The seed's rules, checked as the user types. */
export function validateForm(
  values: INewInstanceValues,
  options: IInstanceOptions | null,
  trans: TranslationBundle
): FormErrors {
  const errors: FormErrors = {};
  const { api } = values;
  if (api === 'pai') {
    if (!PAI_NAME.test(values.name)) {
      errors.name = trans.__('1 to 27 letters, digits or "_" (no "-")');
    }
  } else if (!NAME.test(values.name)) {
    errors.name = trans.__('1 to 64 letters, digits, "-" or "_"');
  }
  if (api !== 'pai') {
    const bad = [...new Set(values.description)].filter(c =>
      DESCRIPTION_FORBIDDEN.includes(c)
    );
    if (values.description.length > 512) {
      errors.description = trans.__('At most 512 characters');
    } else if (bad.length > 0) {
      errors.description = trans.__('Must not contain %1', bad.join(' '));
    }
    if (!values.image) {
      errors.image = trans.__('Required');
    }
  }
  if (!values.flavor) {
    errors.flavor = trans.__('Required');
  }
  // Empty: the server proposes a folder of its own bucket and creates it.
  if (api === 'devenv' && values.storage === 'obs' && values.obsPath) {
    const problem = obsFolderProblem(values.obsPath, trans);
    if (problem) {
      errors.obsPath = problem;
    }
  }
  const needsSize =
    (api === 'devenv' && values.storage === 'evs') || api === 'notebooks';
  if (needsSize) {
    const size = Number(values.volumeGb);
    const min = api === 'devenv' ? 5 : 1;
    if (!Number.isInteger(size) || size < min || size > 4096) {
      errors.volumeGb = trans.__('A whole number of GB from %1 to 4096', min);
    }
  }
  if (api !== 'pai' && values.autoStop) {
    const hours = Number(values.autoStopHours);
    const [min, max] = autoStopHours(options);
    const whole = api === 'devenv' ? Number.isInteger(hours * 3600) : true;
    if (!values.autoStopHours || !(hours >= min && hours <= max) || !whole) {
      errors.autoStopHours = trans.__('From %1 to %2 hours', min, max);
    }
  }
  return errors;
}

/** C27: a folder inside a bucket, ending with "/". */
export function obsFolderProblem(
  path: string,
  trans: TranslationBundle
): string | undefined {
  if (!path.endsWith('/')) {
    return trans.__('An OBS folder ending with "/", such as /bucket/folder/');
  }
  const names = path
    .replace(/^obs:\/\//, '')
    .split('/')
    .filter(name => name.length > 0);
  if (names.length < 2) {
    return trans.__('A folder inside a bucket, not the bucket itself');
  }
  if (names.some(name => name.startsWith('.') || FOLDER_FORBIDDEN.test(name))) {
    return trans.__(
      'Folder names must not start with "." or contain > < ? * | " \\'
    );
  }
  return undefined;
}

/** The API's own create body for the form's values. */
export function toCreateRequest(
  values: INewInstanceValues
): Record<string, unknown> {
  const hours = Number(values.autoStopHours);
  const workspace = values.workspaceId.trim();
  if (values.api === 'devenv') {
    return {
      name: values.name,
      description: values.description,
      profile_id: values.image,
      flavor: values.flavor,
      spec: {
        storage:
          values.storage === 'obs'
            ? {
                type: 'obs',
                location: values.obsPath ? { path: values.obsPath } : {}
              }
            : {
                type: values.storage,
                location: { volume_size: Number(values.volumeGb) }
              },
        auto_stop: values.autoStop
          ? { enable: true, duration: Math.round(hours * 3600) }
          : { enable: false }
      },
      ...(workspace ? { workspace: { id: workspace } } : {})
    };
  }
  if (values.api === 'notebooks') {
    return {
      name: values.name,
      description: values.description,
      image_id: values.image,
      flavor: values.flavor,
      volume: {
        category: values.storage,
        ownership: 'MANAGED',
        capacity: Number(values.volumeGb)
      },
      ...(values.autoStop ? { duration: Math.round(hours * HOUR_MS) } : {}),
      ...(workspace ? { workspace_id: workspace } : {})
    };
  }
  return {
    InstanceName: values.name,
    EcsSpec: values.flavor,
    ...(values.image ? { ImageUrl: values.image } : {}),
    ...(workspace ? { WorkspaceId: workspace } : {})
  };
}
