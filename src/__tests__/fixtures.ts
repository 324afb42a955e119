import { ICloudPreset, IProfile, IStatus } from '../api';

export const localStatus: IStatus = {
  backend: 'local',
  profile: 'local',
  profile_backend: 'local',
  cloud: 'local',
  cloud_label: 'Local ModelArts',
  training_api: 'v1',
  region: 'cn-north-4',
  project_id: '0123456789abcdef0123456789abcdef',
  workspace_id: '0',
  account: 'Local ModelArts',
  endpoint: 'http://127.0.0.1:40123',
  credentials_present: true,
  credentials: {
    present: true,
    source: 'local',
    kind: 'access_key',
    key_id: '****0001'
  },
  connection: { state: 'ok' },
  version: '0.1.0'
};

export const localProfile: IProfile = {
  name: 'local',
  backend: 'local',
  cloud: 'local',
  training_api: 'v1',
  external_domain: null,
  endpoint_overrides: {},
  region: 'cn-north-4',
  project_id: '0123456789abcdef0123456789abcdef',
  workspace_id: '0',
  managed: true,
  endpoints: { modelarts: 'http://127.0.0.1:40123' },
  credentials: localStatus.credentials,
  active: true
};

export const prodProfile: IProfile = {
  ...localProfile,
  name: 'prod',
  backend: 'modelarts',
  cloud: 'huaweicloud',
  training_api: 'v2',
  managed: false,
  active: false,
  credentials: {
    present: true,
    source: 'credentials-file',
    kind: 'access_key',
    key_id: '****WXYZ'
  }
};

/** A cut-down ``GET /clouds`` answer: one cloud of each kind. */
export const cloudPresets: ICloudPreset[] = [
  {
    name: 'huaweicloud',
    label: 'Huawei Cloud',
    backend: 'modelarts',
    regions: [
      {
        id: 'cn-north-4',
        label: 'CN North-Beijing4',
        services: ['iam', 'modelarts', 'obs']
      },
      {
        id: 'eu-west-101',
        label: 'EU-Dublin',
        services: ['iam', 'modelarts', 'obs']
      }
    ],
    default_region: 'cn-north-4',
    needs_domain: false,
    training_api: 'v2',
    training_apis: ['v2'],
    devenviron: false
  },
  {
    name: 'tcloudpublic',
    label: 'T Cloud Public',
    backend: 'modelarts',
    regions: [
      {
        id: 'eu-de',
        label: 'EU-Germany (eu-de)',
        services: ['iam', 'modelarts', 'obs']
      },
      { id: 'eu-nl', label: 'EU-Netherlands (eu-nl)', services: ['iam', 'obs'] }
    ],
    default_region: 'eu-de',
    needs_domain: false,
    training_api: 'v1',
    training_apis: ['v1', 'v2'],
    devenviron: true
  },
  {
    name: 'hcs',
    label: 'Huawei Cloud Stack',
    backend: 'modelarts',
    regions: [],
    default_region: '',
    needs_domain: true,
    training_api: 'v1',
    training_apis: ['v1', 'v2'],
    devenviron: true
  },
  {
    name: 'alibabacloud',
    label: 'Alibaba Cloud (PAI DSW)',
    backend: 'pai',
    regions: [
      { id: 'cn-hangzhou', label: 'China (Hangzhou)', services: ['pai'] }
    ],
    default_region: 'cn-hangzhou',
    needs_domain: false,
    training_api: 'v1',
    training_apis: [],
    devenviron: false
  }
];
