import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { APIError, ICloudPreset, listClouds } from './api';
import {
  emptyProfileForm,
  FieldErrors,
  IProfileFormValues,
  ProfileFormBody,
  toProfileInput,
  validateProfileForm
} from './components/ProfileForm';
import { describeError } from './errors';
import { AccountModel } from './model/account';

/**
 * Ask for a profile until the server accepts it (it checks the credentials by a
 * real call) or the user cancels. Errors are shown on the field they concern.
 */
export async function signIn(
  model: AccountModel,
  trans: TranslationBundle
): Promise<void> {
  return askForProfile(model, trans, await listClouds(), emptyProfileForm());
}

async function askForProfile(
  model: AccountModel,
  trans: TranslationBundle,
  clouds: ICloudPreset[],
  values: IProfileFormValues,
  fieldErrors: FieldErrors = {},
  generalError?: string
): Promise<void> {
  const body = new ProfileFormBody({
    initial: values,
    clouds,
    serverErrors: fieldErrors,
    generalError,
    trans
  });
  const result = await showDialog({
    title: trans.__('Sign in to a cloud account'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Check and save') })
    ]
  });
  if (!result.button.accept || !result.value) {
    return;
  }
  const submitted = result.value;
  const preset = clouds.find(cloud => cloud.name === submitted.cloud);
  const invalid = validateProfileForm(submitted, trans, preset);
  if (Object.keys(invalid).length > 0) {
    return askForProfile(model, trans, clouds, submitted, invalid);
  }
  try {
    const profile = await model.save(
      toProfileInput(submitted),
      submitted.activate
    );
    Notification.success(trans.__('Profile %1 is signed in.', profile.name), {
      autoClose: 5000
    });
  } catch (error) {
    if (!(error instanceof APIError)) {
      throw error;
    }
    const message = describeError(error, trans);
    const field = error.field?.startsWith('endpoints')
      ? 'endpoints'
      : error.field;
    return field && field !== 'cloud' && field !== 'profile'
      ? askForProfile(model, trans, clouds, submitted, { [field]: message })
      : askForProfile(model, trans, clouds, submitted, {}, message);
  }
}
