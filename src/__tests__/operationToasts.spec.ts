import { Notification } from '@jupyterlab/apputils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { OperationToasts } from '../components/operationToasts';

function toastMessages(): string[] {
  return Notification.manager.notifications.map(n => n.message);
}

describe('operation toasts', () => {
  beforeEach(() => Notification.dismiss());
  afterEach(() => {
    for (const n of Notification.manager.notifications) {
      Notification.manager.dismiss(n.id);
    }
  });

  it('show one notification per operation, updated in place to its end', () => {
    const toasts = new OperationToasts();
    const before = Notification.manager.count;
    toasts.show('deploy:1', 'Deploy: upload 10%', 'in-progress');
    toasts.show('deploy:1', 'Deploy: upload 90%', 'in-progress');
    toasts.show('deploy:2', 'Other: import', 'in-progress');
    toasts.show('deploy:1', 'Service iris is running.', 'success');
    expect(Notification.manager.count - before).toBe(2);
    expect(toastMessages()).toContain('Service iris is running.');
    expect(toastMessages()).not.toContain('Deploy: upload 10%');
    expect(toastMessages()).not.toContain('Deploy: upload 90%');
  });

  it('go on in the toast of the operation that led to it', () => {
    const toasts = new OperationToasts();
    const before = Notification.manager.count;
    toasts.show('launch:1', 'Submitted.', 'success');
    toasts.continueAs('launch:1', 'job:7/1');
    expect(toasts.has('job:7/1')).toBe(true);
    toasts.show('job:7/1', 'Training job train: completed', 'success');
    expect(Notification.manager.count - before).toBe(1);
    expect(toastMessages()).toEqual(
      expect.arrayContaining(['Training job train: completed'])
    );
  });

  it('show a new one when the last was removed from the notification centre', () => {
    const toasts = new OperationToasts();
    toasts.show('nb:1', 'Creating notebook a…', 'in-progress');
    for (const n of Notification.manager.notifications) {
      Notification.manager.dismiss(n.id);
    }
    toasts.show('nb:1', 'Notebook a is running.', 'success');
    expect(toastMessages()).toEqual(['Notebook a is running.']);
  });
});
