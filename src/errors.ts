import { TranslationBundle } from '@jupyterlab/translation';

import { APIError } from './api';

type ErrorParams = Record<string, unknown>;
type Wording = (params: ErrorParams, trans: TranslationBundle) => string;

const text = (value: unknown): string =>
  Array.isArray(value) ? value.join(', ') : String(value ?? '');

/**
 * Errors the server sends as a code and parameters, worded here in the
 * user's language (the server's English message is the fallback).
 */
const WORDINGS: Record<string, Wording> = {
  FOLDER_OF_OTHER_JOB: (p, trans) =>
    trans.__(
      '%1 belongs to training job %2: leave the field empty to use the folder of this job.',
      text(p.url),
      text(p.job_name)
    ),
  FOLDER_OF_OTHER_JOBS: (p, trans) =>
    trans.__(
      '%1 holds the folders of every training job: leave the field empty to use the folder of this job.',
      text(p.url)
    ),
  FOLDER_OF_OTHER_VERSION: (p, trans) =>
    trans.__(
      '%1 is a folder of another version (%2): leave the field empty to use the folder of this version.',
      text(p.url),
      text(p.version)
    ),
  FOLDER_NOT_EMPTY: (p, trans) =>
    trans.__(
      '%1 already holds %2 files of an earlier run: choose an empty folder.',
      text(p.url),
      text(p.count)
    ),
  NOT_A_MODEL: (p, trans) =>
    trans.__(
      '%1 holds no model: deploy a model package (with config.json), a TensorFlow SavedModel (saved_model.pb) or a folder with one model file (%2).',
      text(p.name),
      text(p.suffixes)
    ),
  NOT_A_MODEL_FILE: (p, trans) =>
    trans.__('%1 is not a model file (%2).', text(p.name), text(p.suffixes)),
  SEVERAL_MODEL_FILES: (p, trans) =>
    trans.__(
      '%1 holds several model files (%2): deploy one of them.',
      text(p.folder),
      text(p.files)
    )
};

/** The error's message in the user's language when its code is known. */
export function errorMessage(
  error: APIError,
  trans: TranslationBundle
): string {
  const wording = error.params ? WORDINGS[error.code] : undefined;
  return wording && error.params ? wording(error.params, trans) : error.message;
}

/** One readable line: the message, then the upstream code and request id when known. */
export function describeError(
  error: unknown,
  trans: TranslationBundle
): string {
  if (!(error instanceof APIError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const details: string[] = [];
  if (error.upstream?.error_code) {
    details.push(error.upstream.error_code);
  }
  if (error.upstream?.request_id) {
    details.push(trans.__('request id %1', error.upstream.request_id));
  }
  const message = errorMessage(error, trans);
  return details.length > 0 ? `${message} (${details.join(', ')})` : message;
}
