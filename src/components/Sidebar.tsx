import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { AccountModel } from '../model/account';
import { AccountHeader, IAccountHeaderProps } from './AccountHeader';
import { Section } from './Section';

export type ISidebarViewProps = IAccountHeaderProps;

/** The sidebar's content: the account header and the four resource sections. */
export function SidebarView(props: ISidebarViewProps): JSX.Element {
  const { trans } = props;
  return (
    <div className="jp-ModelArts-sidebarContent">
      <AccountHeader {...props} />
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

/** What the sidebar asks the plugin to do. */
export interface ISidebarActions {
  refresh: () => void;
  signIn: () => void;
  signOut: (profile: string) => void;
  activate: (profile: string) => void;
  setWorkspace: (workspaceId: string) => void;
}

/** The ModelArts left-sidebar panel; it re-renders whenever the account model changes. */
export class ModelArtsSidebar extends ReactWidget {
  constructor(
    private readonly model: AccountModel,
    private readonly trans: TranslationBundle,
    private readonly actions: ISidebarActions
  ) {
    super();
    this.addClass('jp-ModelArts-sidebar');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <SidebarView
            state={this.model.state}
            profiles={this.model.profiles}
            workspaces={this.model.workspaces}
            trans={this.trans}
            onRefresh={this.actions.refresh}
            onSignIn={this.actions.signIn}
            onSignOut={this.actions.signOut}
            onActivate={this.actions.activate}
            onWorkspace={this.actions.setWorkspace}
          />
        )}
      </UseSignal>
    );
  }
}
