import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyJSONValue } from '@lumino/coreutils';
import { formatPercent } from '../format';
import {
  IWordedOperation,
  operationTitle,
  stepMessage,
  stepTitle
} from '../wording';

type Options = Notification.IOptions<ReadonlyJSONValue>;

/**
 * One toast per operation: the first message about an operation (a launch, a
 * deployment, a notebook being created, a training job) shows a toast, every
 * later one updates that toast in place, so an operation never stacks toasts
 * over the editor.
 */
export class OperationToasts {
  /** Whether operation `key` has a toast (it was started or followed here). */
  has(key: string): boolean {
    return this._ids.has(key);
  }

  /** Show `message` as the toast of operation `key`. */
  show(
    key: string,
    message: string,
    type: Notification.TypeOptions,
    options: Options = {}
  ): void {
    const id = this._ids.get(key);
    // `update` is false for a toast no longer in the notification centre.
    if (
      id !== undefined &&
      Notification.update({ id, message, type, ...options })
    ) {
      return;
    }
    this._ids.set(key, Notification.emit(message, type, options));
  }

  /**
   * Let operation `key` go on in the toast of `existing` (a launch's toast
   * then tells how the job it submitted ended).
   */
  continueAs(existing: string, key: string): void {
    const id = this._ids.get(existing);
    if (id !== undefined) {
      this._ids.set(key, id);
    }
  }

  private readonly _ids = new Map<string, string>();
}

/** The toasts of this tab's operations. */
export const operationToasts = new OperationToasts();

/** One line of progress: the running step, its message and percentage, in the user's
 * language. */
export function describeProgress(
  operation: IWordedOperation,
  trans: TranslationBundle
): string {
  const step =
    operation.steps.find(s => s.state === 'running') ??
    [...operation.steps].reverse().find(s => s.state !== 'pending');
  const title = operationTitle(operation, trans);
  if (!step) {
    return title;
  }
  const percent =
    step.progress !== null && step.state === 'running'
      ? ` ${formatPercent(step.progress)}`
      : '';
  const message = step.message ? ` (${stepMessage(step, trans)})` : '';
  return trans.__(
    '%1: %2%3%4',
    title,
    stepTitle(step, trans),
    percent,
    message
  );
}
