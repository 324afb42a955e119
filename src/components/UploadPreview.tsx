import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatBytes, formatCount } from '../format';

/** What an upload will send, as the server previews it before anything is sent. */
export interface IUploadSummary {
  files: number;
  bytes: number;
  first_files?: string[];
  /** Left out: hidden files and folders, Jupyter folders, symlinks out, ignore rules. */
  ignored: number;
}

/** The file count, total size and first files of an upload, under the field it belongs to. */
export function UploadPreview(props: {
  summary: IUploadSummary;
  trans: TranslationBundle;
}): JSX.Element {
  const { summary, trans } = props;
  const first = summary.first_files ?? [];
  const more = summary.files > first.length ? ', …' : '';
  return (
    <small className="jp-ModelArts-uploadPreview" data-files={summary.files}>
      {trans.__(
        '%1 files, %2 (%3 left out: hidden, Jupyter folders, links out, ignore rules)',
        formatCount(summary.files),
        formatBytes(summary.bytes),
        formatCount(summary.ignored)
      )}
      {first.length > 0 && (
        <span
          className="jp-ModelArts-uploadFirstFiles"
          title={first.join('\n')}
        >
          {first.join(', ') + more}
        </span>
      )}
    </small>
  );
}
