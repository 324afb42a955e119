import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ICloudPreset, IProfileInput } from '../api';
import { cloudLabel, regionLabel } from '../wording';

export type CredentialKind = 'access_key' | 'iam_password' | 'pai_access_key';

/** Everything the sign-in form holds, secrets included (sent to the server only). */
export interface IProfileFormValues {
  name: string;
  /** The cloud preset's name; ``backend`` follows it. */
  cloud: string;
  backend: 'modelarts' | 'pai';
  kind: CredentialKind;
  region: string;
  /** Huawei Cloud Stack's own domain. */
  externalDomain: string;
  projectId: string;
  modelartsEndpoint: string;
  iamEndpoint: string;
  obsEndpoint: string;
  paiEndpoint: string;
  accessKey: string;
  secretKey: string;
  securityToken: string;
  domain: string;
  username: string;
  password: string;
  activate: boolean;
}

/** Error messages by field path, as the server names them ('credentials.secret_key'). */
export type FieldErrors = Record<string, string>;

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const REGION = /^[a-z0-9-]{2,32}$/;
const DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const PROJECT_ID = /^[0-9a-f]{32}$/;
const URL_PREFIX = /^https?:\/\/\S+$/;

export function emptyProfileForm(): IProfileFormValues {
  return {
    name: '',
    cloud: 'huaweicloud',
    backend: 'modelarts',
    kind: 'access_key',
    region: 'cn-north-4',
    externalDomain: '',
    projectId: '',
    modelartsEndpoint: '',
    iamEndpoint: '',
    obsEndpoint: '',
    paiEndpoint: '',
    accessKey: '',
    secretKey: '',
    securityToken: '',
    domain: '',
    username: '',
    password: '',
    activate: true
  };
}

/** The form after the user picks ``cloud``: its backend, credentials and default region. */
export function withCloud(
  values: IProfileFormValues,
  preset: ICloudPreset
): IProfileFormValues {
  const pai = preset.backend === 'pai';
  return {
    ...values,
    cloud: preset.name,
    backend: preset.backend,
    kind: pai
      ? 'pai_access_key'
      : values.kind === 'pai_access_key'
        ? 'access_key'
        : values.kind,
    region: preset.regions.length > 0 ? preset.default_region : '',
    externalDomain: preset.needs_domain ? values.externalDomain : ''
  };
}

/** The checks the server makes too, run as the user types. */
export function validateProfileForm(
  values: IProfileFormValues,
  trans: TranslationBundle,
  preset?: ICloudPreset
): FieldErrors {
  const errors: FieldErrors = {};
  const required = (field: string, value: string) => {
    if (!value.trim()) {
      errors[field] = trans.__('Required');
    }
  };
  if (!PROFILE_NAME.test(values.name)) {
    errors.name = trans.__(
      '1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit'
    );
  }
  if (!REGION.test(values.region)) {
    errors.region = trans.__('A region id such as cn-north-4');
  } else if (
    preset &&
    preset.regions.length > 0 &&
    !preset.regions.some(region => region.id === values.region)
  ) {
    errors.region = trans.__(
      '%1 has no region %2',
      cloudLabel(preset.name, preset.label, trans),
      values.region
    );
  }
  if (preset?.needs_domain) {
    if (values.externalDomain && !DOMAIN.test(values.externalDomain)) {
      errors.external_domain = trans.__(
        'A domain name such as cloud.example.com'
      );
    } else if (!values.externalDomain && !values.iamEndpoint) {
      errors.external_domain = trans.__(
        'The domain of the installation, or at least its IAM endpoint'
      );
    }
  }
  if (values.projectId && !PROJECT_ID.test(values.projectId)) {
    errors.project_id = trans.__('32 lowercase hexadecimal characters');
  }
  const endpoints: [string, string][] = [
    ['modelarts', values.modelartsEndpoint],
    ['iam', values.iamEndpoint],
    ['obs', values.obsEndpoint],
    ['pai', values.paiEndpoint]
  ];
  for (const [service, url] of endpoints) {
    if (url && !URL_PREFIX.test(url)) {
      errors[`endpoints.${service}`] = trans.__(
        'Must start with http:// or https://'
      );
    }
  }
  if (values.kind === 'access_key') {
    required('credentials.access_key', values.accessKey);
    required('credentials.secret_key', values.secretKey);
  } else if (values.kind === 'iam_password') {
    required('credentials.domain', values.domain);
    required('credentials.username', values.username);
    required('credentials.password', values.password);
  } else {
    required('credentials.access_key_id', values.accessKey);
    required('credentials.access_key_secret', values.secretKey);
  }
  return errors;
}

/** What the server's profile API takes. */
export function toProfileInput(values: IProfileFormValues): IProfileInput {
  const endpoints: Record<string, string> = {};
  if (values.backend === 'pai') {
    if (values.paiEndpoint) {
      endpoints.pai = values.paiEndpoint;
    }
  } else {
    if (values.modelartsEndpoint) {
      endpoints.modelarts = values.modelartsEndpoint;
    }
    if (values.iamEndpoint) {
      endpoints.iam = values.iamEndpoint;
    }
    if (values.obsEndpoint) {
      endpoints.obs = values.obsEndpoint;
    }
  }
  let credentials: Record<string, string>;
  if (values.kind === 'access_key') {
    credentials = {
      kind: 'access_key',
      access_key: values.accessKey,
      secret_key: values.secretKey
    };
    if (values.securityToken) {
      credentials.security_token = values.securityToken;
    }
  } else if (values.kind === 'iam_password') {
    credentials = {
      kind: 'iam_password',
      domain: values.domain,
      username: values.username,
      password: values.password
    };
  } else {
    credentials = {
      kind: 'pai_access_key',
      access_key_id: values.accessKey,
      access_key_secret: values.secretKey
    };
  }
  return {
    name: values.name,
    cloud: values.cloud,
    backend: values.backend,
    region: values.region,
    ...(values.externalDomain
      ? { external_domain: values.externalDomain }
      : {}),
    endpoints,
    ...(values.projectId ? { project_id: values.projectId } : {}),
    credentials
  };
}

interface IFieldProps {
  id: string;
  label: string;
  value: string;
  error?: string;
  secret?: boolean;
  placeholder?: string;
  onChange: (value: string) => void;
}

function Field(props: IFieldProps): JSX.Element {
  const inputId = `jp-ModelArts-profile-${props.id.replace(/\./g, '-')}`;
  return (
    <div className="jp-ModelArts-formField" data-field={props.id}>
      <label htmlFor={inputId}>{props.label}</label>
      <input
        id={inputId}
        className="jp-mod-styled"
        type={props.secret ? 'password' : 'text'}
        autoComplete={props.secret ? 'new-password' : 'off'}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        onChange={event => props.onChange(event.target.value)}
      />
      {props.error && (
        <div className="jp-ModelArts-fieldError" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

export interface IProfileFormProps {
  initial: IProfileFormValues;
  /** The clouds to choose from (``GET /clouds``). */
  clouds: ICloudPreset[];
  /** Errors from the server for the submitted values, shown until the user edits. */
  serverErrors: FieldErrors;
  /** An error not tied to a field (e.g. the cloud said no for another reason). */
  generalError?: string;
  trans: TranslationBundle;
  onChange: (values: IProfileFormValues) => void;
}

/** The sign-in form: which cloud, which credentials, where. */
export function ProfileForm(props: IProfileFormProps): JSX.Element {
  const { trans } = props;
  const [values, setValues] = React.useState(props.initial);
  const [touched, setTouched] = React.useState<Set<string>>(new Set());
  const preset = props.clouds.find(cloud => cloud.name === values.cloud);
  const localErrors = validateProfileForm(values, trans, preset);
  // A field the user edited shows the live check; the others what the last submit got.
  const errorOf = (field: string): string | undefined =>
    touched.has(field) ? localErrors[field] : props.serverErrors[field];

  const update = (field: string, change: Partial<IProfileFormValues>) => {
    const next = { ...values, ...change };
    setValues(next);
    setTouched(new Set(touched).add(field));
    props.onChange(next);
  };
  const field = (
    id: string,
    label: string,
    key: keyof IProfileFormValues,
    options: { secret?: boolean; placeholder?: string } = {}
  ) => (
    <Field
      id={id}
      label={label}
      value={values[key] as string}
      error={errorOf(id)}
      secret={options.secret}
      placeholder={options.placeholder}
      onChange={value => update(id, { [key]: value })}
    />
  );
  const pai = values.backend === 'pai';
  return (
    <form
      className="jp-ModelArts-profileForm"
      onSubmit={event => event.preventDefault()}
    >
      {props.generalError && (
        <div className="jp-ModelArts-formError" role="alert">
          {props.generalError}
        </div>
      )}
      {field('name', trans.__('Profile name'), 'name', {
        placeholder: 'prod'
      })}
      <div className="jp-ModelArts-formField" data-field="cloud">
        <label htmlFor="jp-ModelArts-profile-cloud">{trans.__('Cloud')}</label>
        <select
          id="jp-ModelArts-profile-cloud"
          className="jp-mod-styled"
          value={values.cloud}
          onChange={event => {
            const chosen = props.clouds.find(
              cloud => cloud.name === event.target.value
            );
            if (chosen) {
              const next = withCloud(values, chosen);
              update('cloud', next);
            }
          }}
        >
          {props.clouds.map(cloud => (
            <option key={cloud.name} value={cloud.name}>
              {cloudLabel(cloud.name, cloud.label, trans)}
            </option>
          ))}
        </select>
        {preset && <CloudNote preset={preset} trans={trans} />}
      </div>
      {!pai && (
        <div className="jp-ModelArts-formField">
          <label htmlFor="jp-ModelArts-profile-kind">
            {trans.__('Sign in with')}
          </label>
          <select
            id="jp-ModelArts-profile-kind"
            className="jp-mod-styled"
            value={values.kind}
            onChange={event =>
              update('kind', { kind: event.target.value as CredentialKind })
            }
          >
            <option value="access_key">{trans.__('Access key (AK/SK)')}</option>
            <option value="iam_password">
              {trans.__('IAM user and password')}
            </option>
          </select>
        </div>
      )}
      {values.kind === 'access_key' && (
        <>
          {field(
            'credentials.access_key',
            trans.__('Access key ID'),
            'accessKey'
          )}
          {field(
            'credentials.secret_key',
            trans.__('Secret access key'),
            'secretKey',
            {
              secret: true
            }
          )}
          {field(
            'credentials.security_token',
            trans.__('Security token (temporary keys only)'),
            'securityToken',
            { secret: true }
          )}
        </>
      )}
      {values.kind === 'iam_password' && (
        <>
          {field('credentials.domain', trans.__('Account name'), 'domain')}
          {field('credentials.username', trans.__('IAM user name'), 'username')}
          {field('credentials.password', trans.__('Password'), 'password', {
            secret: true
          })}
        </>
      )}
      {values.kind === 'pai_access_key' && (
        <>
          {field(
            'credentials.access_key_id',
            trans.__('AccessKey ID'),
            'accessKey'
          )}
          {field(
            'credentials.access_key_secret',
            trans.__('AccessKey secret'),
            'secretKey',
            { secret: true }
          )}
        </>
      )}
      {preset && preset.regions.length > 0 ? (
        <div className="jp-ModelArts-formField" data-field="region">
          <label htmlFor="jp-ModelArts-profile-region">
            {trans.__('Region')}
          </label>
          <select
            id="jp-ModelArts-profile-region"
            className="jp-mod-styled"
            value={values.region}
            onChange={event => update('region', { region: event.target.value })}
          >
            {preset.regions.map(region => (
              <option key={region.id} value={region.id}>
                {`${regionLabel(preset.name, region.id, region.label, trans)} (${region.id})`}
              </option>
            ))}
          </select>
          {errorOf('region') && (
            <div className="jp-ModelArts-fieldError" role="alert">
              {errorOf('region')}
            </div>
          )}
        </div>
      ) : (
        field('region', trans.__('Region'), 'region')
      )}
      {preset?.needs_domain &&
        field(
          'external_domain',
          trans.__('Domain of the installation'),
          'externalDomain',
          { placeholder: 'cloud.example.com' }
        )}
      {!pai &&
        field('project_id', trans.__('Project ID (optional)'), 'projectId', {
          placeholder: trans.__('looked up from IAM')
        })}
      <details
        className="jp-ModelArts-formAdvanced"
        open={Object.keys(props.serverErrors).some(key =>
          key.startsWith('endpoints')
        )}
      >
        <summary>{trans.__('Endpoints (optional)')}</summary>
        {pai ? (
          field('endpoints.pai', trans.__('PAI DSW endpoint'), 'paiEndpoint')
        ) : (
          <>
            {field(
              'endpoints.modelarts',
              trans.__('ModelArts endpoint'),
              'modelartsEndpoint'
            )}
            {field('endpoints.iam', trans.__('IAM endpoint'), 'iamEndpoint')}
            {field('endpoints.obs', trans.__('OBS endpoint'), 'obsEndpoint')}
          </>
        )}
        {props.serverErrors.endpoints && (
          <div className="jp-ModelArts-fieldError" role="alert">
            {props.serverErrors.endpoints}
          </div>
        )}
      </details>
      <label className="jp-ModelArts-formCheck">
        <input
          type="checkbox"
          checked={values.activate}
          onChange={event =>
            update('activate', { activate: event.target.checked })
          }
        />
        {trans.__('Make it the active profile')}
      </label>
    </form>
  );
}

/** What the chosen cloud serves: its training API and whether DevEnviron is there. */
function CloudNote(props: {
  preset: ICloudPreset;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { preset, trans } = props;
  if (preset.backend === 'pai') {
    return null;
  }
  const training =
    preset.training_apis.length > 1
      ? trans.__(
          'Training: %1 or %2 (checked at sign-in)',
          ...preset.training_apis
        )
      : trans.__('Training: %1', preset.training_api);
  return (
    <div className="jp-ModelArts-cloudNote">
      {training}
      {!preset.devenviron && (
        <div>
          {trans.__(
            'The old DevEnviron API is not offered; use the Notebooks API.'
          )}
        </div>
      )}
    </div>
  );
}

/** The form as a dialog body whose value is what the user typed. */
export class ProfileFormBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IProfileFormValues>
{
  constructor(private readonly props: Omit<IProfileFormProps, 'onChange'>) {
    super();
    this.addClass('jp-ModelArts-profileDialog');
    this._values = props.initial;
  }

  getValue(): IProfileFormValues {
    return this._values;
  }

  protected render(): JSX.Element {
    return (
      <ProfileForm
        {...this.props}
        onChange={values => {
          this._values = values;
        }}
      />
    );
  }

  private _values: IProfileFormValues;
}
