import { ReactWidget } from '@jupyterlab/ui-components';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { AccountHeader, ConnectionState } from './AccountHeader';
import { Section } from './Section';

export interface ISidebarViewProps {
  state: ConnectionState;
  trans: TranslationBundle;
  onRefresh: () => void;
}

/** The sidebar's content: the account header and the four resource sections. */
export function SidebarView(props: ISidebarViewProps): JSX.Element {
  const { trans } = props;
  return (
    <div className="jp-ModelArts-sidebarContent">
      <AccountHeader
        state={props.state}
        trans={trans}
        onRefresh={props.onRefresh}
      />
      <Section
        id="notebooks"
        title={trans.__('Notebooks')}
        emptyMessage={trans.__(
          'Notebook instances of this account appear here, with their status and actions.'
        )}
      />
      <Section
        id="training"
        title={trans.__('Training')}
        emptyMessage={trans.__(
          'Training jobs appear here. Start one with "Train on ModelArts" from a Python file or notebook.'
        )}
      />
      <Section
        id="models"
        title={trans.__('Models')}
        emptyMessage={trans.__(
          'Imported models appear here. Right-click a model folder or file and choose "Deploy to ModelArts".'
        )}
      />
      <Section
        id="services"
        title={trans.__('Services')}
        emptyMessage={trans.__(
          'Real-time services appear here, ready to test from the sidebar.'
        )}
      />
    </div>
  );
}

/**
 * The ModelArts left-sidebar panel. It owns the connection state and re-renders
 * whenever `setState` is called by the plugin.
 */
export class ModelArtsSidebar extends ReactWidget {
  constructor(
    private readonly trans: TranslationBundle,
    private readonly refresh: () => void
  ) {
    super();
    this.addClass('jp-ModelArts-sidebar');
  }

  get state(): ConnectionState {
    return this._state;
  }

  setState(state: ConnectionState): void {
    this._state = state;
    this.update();
  }

  protected render(): JSX.Element {
    return (
      <SidebarView
        state={this._state}
        trans={this.trans}
        onRefresh={this.refresh}
      />
    );
  }

  private _state: ConnectionState = { kind: 'loading' };
}
