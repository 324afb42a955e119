import { Clipboard, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

/**
 * A long id (project, job, service, instance, model) in a narrow sidebar: cut
 * with an ellipsis where it does not fit, the whole id in the tooltip, and a
 * button that copies it.
 */
export function IdText(props: {
  id: string;
  trans: TranslationBundle;
  className?: string;
}): JSX.Element {
  const { id, trans } = props;
  return (
    <span
      className={['jp-ModelArts-id', props.className ?? ''].join(' ').trim()}
    >
      <span className="jp-ModelArts-idText" title={id}>
        {id}
      </span>
      <button
        type="button"
        className="jp-ModelArts-idCopy"
        title={trans.__('Copy %1', id)}
        aria-label={trans.__('Copy %1', id)}
        onClick={event => {
          // The id sits in rows that open on a click: copying opens nothing.
          event.stopPropagation();
          Clipboard.copyToSystem(id);
          Notification.success(trans.__('Copied %1', id), { autoClose: 2000 });
        }}
      >
        <copyIcon.react tag="span" elementSize="small" />
      </button>
    </span>
  );
}
