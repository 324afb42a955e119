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
