import * as React from 'react';

/** An input with its label above and its error, if any, below. */
export function LabeledField(props: {
  id: string;
  label: string;
  error?: string;
  className: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <div className={props.className}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.error && (
        <small className="jp-ModelArts-fieldError" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}
