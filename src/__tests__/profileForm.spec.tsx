import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import {
  emptyProfileForm,
  ProfileForm,
  toProfileInput,
  validateProfileForm
} from '../components/ProfileForm';
import { cloudPresets } from './fixtures';

const trans = nullTranslator.load('jupyterlab_modelarts');

describe('validateProfileForm', () => {
  it('names every field that is wrong, with the server field paths', () => {
    const errors = validateProfileForm(
      {
        ...emptyProfileForm(),
        name: 'bad name!',
        projectId: 'XYZ',
        modelartsEndpoint: 'ftp://x'
      },
      trans
    );
    expect(Object.keys(errors).sort()).toEqual([
      'credentials.access_key',
      'credentials.secret_key',
      'endpoints.modelarts',
      'name',
      'project_id'
    ]);
  });

  it('accepts a complete AK/SK profile', () => {
    const values = {
      ...emptyProfileForm(),
      name: 'prod',
      accessKey: 'AK',
      secretKey: 'SK'
    };
    expect(validateProfileForm(values, trans)).toEqual({});
    expect(toProfileInput(values)).toEqual({
      name: 'prod',
      cloud: 'huaweicloud',
      backend: 'modelarts',
      region: 'cn-north-4',
      endpoints: {},
      credentials: { kind: 'access_key', access_key: 'AK', secret_key: 'SK' }
    });
  });

  it('maps PAI keys to the PAI credential fields', () => {
    const values = {
      ...emptyProfileForm(),
      name: 'pai',
      cloud: 'alibabacloud',
      backend: 'pai' as const,
      kind: 'pai_access_key' as const,
      region: 'cn-hangzhou',
      accessKey: 'LTAI',
      secretKey: 'secret'
    };
    expect(toProfileInput(values).credentials).toEqual({
      kind: 'pai_access_key',
      access_key_id: 'LTAI',
      access_key_secret: 'secret'
    });
  });
});

describe('ProfileForm', () => {
  it("shows the server's error on its field until the user edits that field", () => {
    const onChange = vi.fn();
    render(
      <ProfileForm
        initial={{
          ...emptyProfileForm(),
          name: 'prod',
          accessKey: 'AK',
          secretKey: 'x'
        }}
        clouds={cloudPresets}
        serverErrors={{ 'credentials.secret_key': 'signature mismatch' }}
        trans={trans}
        onChange={onChange}
      />
    );
    expect(screen.getByRole('alert').textContent).toBe('signature mismatch');
    fireEvent.change(screen.getByLabelText('Secret access key'), {
      target: { value: 'right secret' }
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secretKey: 'right secret' })
    );
  });

  it('validates the name live as the user types', () => {
    render(
      <ProfileForm
        initial={emptyProfileForm()}
        clouds={cloudPresets}
        serverErrors={{}}
        trans={trans}
        onChange={() => undefined}
      />
    );
    fireEvent.change(screen.getByLabelText('Profile name'), {
      target: { value: '-bad' }
    });
    expect(screen.getByRole('alert').textContent).toMatch(
      /starting with a letter/
    );
  });

  it('asks for the IAM account, user and password when signing in with a password', () => {
    render(
      <ProfileForm
        initial={emptyProfileForm()}
        clouds={cloudPresets}
        serverErrors={{}}
        trans={trans}
        onChange={() => undefined}
      />
    );
    fireEvent.change(screen.getByLabelText('Sign in with'), {
      target: { value: 'iam_password' }
    });
    expect(screen.getByLabelText('Account name')).toBeTruthy();
    expect(screen.getByLabelText('IAM user name')).toBeTruthy();
    expect((screen.getByLabelText('Password') as HTMLInputElement).type).toBe(
      'password'
    );
  });
});

describe('choosing a cloud', () => {
  function renderForm() {
    const onChange = vi.fn();
    render(
      <ProfileForm
        initial={{
          ...emptyProfileForm(),
          name: 'otc',
          accessKey: 'AK',
          secretKey: 'SK'
        }}
        clouds={cloudPresets}
        serverErrors={{}}
        trans={trans}
        onChange={onChange}
      />
    );
    return onChange;
  }

  it("offers the chosen cloud's regions and says which training API it speaks", () => {
    const onChange = renderForm();
    expect(screen.getByText('Training: v2')).toBeTruthy();
    expect(
      screen.getByText(
        'The old DevEnviron API is not offered; use the Notebooks API.'
      )
    ).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Cloud'), {
      target: { value: 'tcloudpublic' }
    });
    const region = screen.getByLabelText('Region') as HTMLSelectElement;
    expect([...region.options].map(option => option.value)).toEqual([
      'eu-de',
      'eu-nl'
    ]);
    expect(region.value).toBe('eu-de');
    expect(
      screen.getByText('Training: v1 or v2 (checked at sign-in)')
    ).toBeTruthy();
    expect(screen.queryByText(/DevEnviron API is not offered/)).toBeNull();
    const values = onChange.mock.lastCall![0];
    expect(toProfileInput(values)).toMatchObject({
      cloud: 'tcloudpublic',
      backend: 'modelarts',
      region: 'eu-de'
    });
  });

  it('asks Huawei Cloud Stack for its domain, or at least its IAM endpoint', () => {
    const onChange = renderForm();
    fireEvent.change(screen.getByLabelText('Cloud'), {
      target: { value: 'hcs' }
    });
    const values = onChange.mock.lastCall![0];
    const hcs = cloudPresets.find(cloud => cloud.name === 'hcs');
    expect(
      validateProfileForm({ ...values, region: 'dc1' }, trans, hcs)
    ).toEqual({
      external_domain:
        'The domain of the installation, or at least its IAM endpoint'
    });
    fireEvent.change(screen.getByLabelText('Domain of the installation'), {
      target: { value: 'cloud.example.com' }
    });
    const withDomain = { ...onChange.mock.lastCall![0], region: 'dc1' };
    expect(validateProfileForm(withDomain, trans, hcs)).toEqual({});
    expect(toProfileInput(withDomain)).toMatchObject({
      cloud: 'hcs',
      region: 'dc1',
      external_domain: 'cloud.example.com'
    });
  });

  it('refuses a region the cloud does not have', () => {
    const otc = cloudPresets.find(cloud => cloud.name === 'tcloudpublic');
    const values = {
      ...emptyProfileForm(),
      cloud: 'tcloudpublic',
      name: 'o',
      accessKey: 'A',
      secretKey: 'S'
    };
    expect(validateProfileForm(values, trans, otc)).toEqual({
      region: 'T Cloud Public has no region cn-north-4'
    });
  });
});
