import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from '../api';
import { operationToasts } from '../components/operationToasts';
import { describeError } from '../errors';
import { createInstance, IInstance } from './api';
import {
  emptyForm,
  formFieldOf,
  FormErrors,
  INewInstanceValues,
  toCreateRequest,
  validateForm
} from './form';
import { IApiChoices, NewInstanceBody, orderedApis } from './NewInstanceForm';
import { instanceToastKey } from './notifications';

/**
 * Ask for a new instance until the server creates it or the user cancels.
 * Nothing invalid is sent; what the server refuses is shown on its field.
 */
export async function newInstance(
  choices: IApiChoices,
  trans: TranslationBundle,
  values: INewInstanceValues = emptyForm(orderedApis(choices.apis)[0]),
  errors: FormErrors = {}
): Promise<IInstance | null> {
  const body = new NewInstanceBody({
    apis: choices.apis,
    unavailable: choices.unavailable,
    initial: values,
    serverErrors: errors,
    trans
  });
  const result = await showDialog({
    title: trans.__('New notebook'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Create') })
    ]
  });
  if (!result.button.accept || !result.value) {
    return null;
  }
  const submitted = result.value;
  // Options only narrow the auto-stop range; the rules that matter need none.
  const invalid = validateForm(submitted, null, trans);
  if (Object.keys(invalid).length > 0) {
    return newInstance(choices, trans, submitted, invalid);
  }
  try {
    const created = await createInstance(
      submitted.api,
      toCreateRequest(submitted)
    );
    // Its becoming RUNNING (or failing) updates this toast.
    operationToasts.show(
      instanceToastKey(created),
      trans.__('Creating notebook %1…', created.name),
      'in-progress',
      { autoClose: false }
    );
    return created;
  } catch (error) {
    if (!(error instanceof APIError)) {
      throw error;
    }
    const message = describeError(error, trans);
    const field = formFieldOf(submitted.api, error.field);
    return newInstance(
      choices,
      trans,
      submitted,
      field ? { [field]: message } : { general: message }
    );
  }
}
