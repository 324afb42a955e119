import {
  Dialog,
  InputDialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from '../api';
import { describeError } from '../errors';
import { ITrainingJob, ITrainingVersion, trainingApi } from './api';

/**
 * Ask where to put the version's output (proposed: `<job>-<version>` next to
 * the training file), download it there, asking before any file is replaced,
 * and resolve with the folder it is in (null when nothing was downloaded).
 * One notification follows the download from start to end.
 */
export async function downloadOutput(
  job: ITrainingJob,
  version: ITrainingVersion,
  trans: TranslationBundle,
  purpose?: { title: string; reason: string }
): Promise<string | null> {
  const ids = [job.job_id, version.version_id] as const;
  const name = `${job.job_name ?? job.job_id} ${version.version_name ?? ''}`;
  const title = purpose?.title ?? trans.__('Open the output of %1', name);
  const proposal = await trainingApi.outputDownload(...ids);
  if (proposal.files.length === 0) {
    await showDialog({
      title,
      body: trans.__('This version wrote no output (yet).'),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
    return null;
  }
  const where = trans.__(
    'Download its %1 files into this folder (relative to the server root):',
    proposal.files.length
  );
  const answer = await InputDialog.getText({
    title,
    label: purpose ? `${purpose.reason} ${where}` : where,
    text: proposal.folder,
    okLabel: trans.__('Download'),
    cancelLabel: trans.__('Cancel')
  });
  const folder = answer.value?.trim();
  if (!answer.button.accept || !folder) {
    return null;
  }
  const toast = Notification.emit(
    trans.__('Downloading the output of %1 into %2…', name, folder),
    'in-progress',
    { autoClose: false }
  );
  const download = (overwrite: boolean) =>
    trainingApi.downloadOutput(...ids, { folder, overwrite });
  try {
    let done;
    try {
      done = await download(false);
    } catch (error) {
      if (!(error instanceof APIError && error.code === 'OUTPUT_EXISTS')) {
        throw error;
      }
      if (!(await confirmReplace(error, folder, trans))) {
        Notification.update({
          id: toast,
          message: trans.__('Nothing was downloaded into %1.', folder),
          type: 'info',
          autoClose: 5000
        });
        return null;
      }
      done = await download(true);
    }
    Notification.update({
      id: toast,
      message: trans.__(
        'The output of %1 is in %2 (%3 files).',
        name,
        done.folder,
        done.files.length
      ),
      type: 'success',
      autoClose: 5000
    });
    return done.folder;
  } catch (error) {
    Notification.update({
      id: toast,
      message: describeError(error, trans),
      type: 'error',
      autoClose: false
    });
    return null;
  }
}

async function confirmReplace(
  error: APIError,
  folder: string,
  trans: TranslationBundle
): Promise<boolean> {
  const params = error.params ?? {};
  const files = Array.isArray(params.files) ? params.files.join(', ') : '';
  const result = await showDialog({
    title: trans.__('Replace files in %1?', folder),
    body: trans.__(
      '%1 files of the output are already in %2 (%3). Replace them with the output?',
      String(params.count ?? ''),
      folder,
      files
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Replace') })
    ]
  });
  return result.button.accept;
}
