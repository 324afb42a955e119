import { IProfile, IStatus } from '../api';

export const localStatus: IStatus = {
  backend: 'local',
  profile: 'local',
  profile_backend: 'local',
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
  managed: false,
  active: false,
  credentials: {
    present: true,
    source: 'credentials-file',
    kind: 'access_key',
    key_id: '****WXYZ'
  }
};
