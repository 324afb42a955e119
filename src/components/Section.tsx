import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

export interface ISectionProps {
  id: string;
  title: string;
  emptyMessage: string;
  children?: React.ReactNode;
}

/** A collapsible sidebar section that says what will appear in it while it is empty. */
export function Section(props: ISectionProps): JSX.Element {
  const [open, setOpen] = React.useState(true);
  const Caret = open ? caretDownIcon : caretRightIcon;
  const hasContent = React.Children.count(props.children) > 0;
  return (
    <section
      className="jp-ModelArts-section"
      data-section={props.id}
      aria-label={props.title}
    >
      <button
        className="jp-ModelArts-sectionHeader"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Caret.react tag="span" className="jp-ModelArts-caret" />
        <span>{props.title}</span>
      </button>
      {open && (
        <div className="jp-ModelArts-sectionBody">
          {hasContent ? (
            props.children
          ) : (
            <p className="jp-ModelArts-empty">{props.emptyMessage}</p>
          )}
        </div>
      )}
    </section>
  );
}
