import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describeError } from '../errors';
import {
  actOnInstance,
  deleteInstance,
  getInstance,
  IInstance,
  updateInstance
} from './api';
import { InstanceDetails } from './InstanceDetails';
import { InstancesModel } from './model';

const HOUR_MS = 3_600_000;

/** What a user can do to an instance from the sidebar, with errors as notifications. */
export class InstanceActions {
  constructor(
    private readonly model: InstancesModel,
    private readonly trans: TranslationBundle
  ) {}

  open(instance: IInstance): void {
    if (instance.url) {
      window.open(instance.url, '_blank', 'noopener');
    }
  }

  async act(instance: IInstance, action: string): Promise<void> {
    await this._report(async () =>
      this.model.put(await actOnInstance(instance, action))
    );
  }

  async remove(instance: IInstance): Promise<void> {
    const answer = await showDialog({
      title: this.trans.__('Delete notebook'),
      body: this.trans.__('Delete %1? Its disk goes with it.', instance.name),
      buttons: [
        Dialog.cancelButton({ label: this.trans.__('Cancel') }),
        Dialog.warnButton({ label: this.trans.__('Delete') })
      ]
    });
    if (answer.button.accept) {
      await this._report(() => deleteInstance(instance));
    }
  }

  /** Auto stop: seconds for the old API, a lease in ms (from now) for the new one. */
  async changeAutoStop(instance: IInstance): Promise<void> {
    const current = instance.auto_stop;
    const body = new AutoStopBody(
      current?.enabled ?? false,
      String(
        Math.max(1, Math.round((current?.duration_ms ?? HOUR_MS) / HOUR_MS))
      ),
      instance.api === 'devenv',
      this.trans
    );
    const answer = await showDialog({
      title: this.trans.__('Auto stop of %1', instance.name),
      body,
      buttons: [
        Dialog.cancelButton({ label: this.trans.__('Cancel') }),
        Dialog.okButton({ label: this.trans.__('Save') })
      ]
    });
    if (!answer.button.accept || !answer.value) {
      return;
    }
    const { enabled, hours } = answer.value;
    const value = Number(hours);
    if (enabled && !(Number.isInteger(value) && value >= 1 && value <= 24)) {
      Notification.error(this.trans.__('From %1 to %2 hours', 1, 24));
      return;
    }
    const changes =
      instance.api === 'devenv'
        ? {
            spec: {
              auto_stop: enabled
                ? { enable: true, duration: value * 3600 }
                : { enable: false }
            }
          }
        : { lease: { duration: value * HOUR_MS } };
    await this._report(async () =>
      this.model.put(await updateInstance(instance, changes))
    );
  }

  async showDetails(instance: IInstance): Promise<void> {
    let detailed = instance;
    try {
      detailed = await getInstance(instance.api, instance.id);
    } catch (error) {
      Notification.error(describeError(error, this.trans));
    }
    await showDialog({
      title: detailed.name,
      body: ReactWidget.create(
        React.createElement(InstanceDetails, {
          instance: detailed,
          trans: this.trans
        })
      ),
      buttons: [Dialog.okButton({ label: this.trans.__('Close') })]
    });
  }

  private async _report(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      Notification.error(describeError(error, this.trans), {
        autoClose: false
      });
    }
  }
}

interface IAutoStop {
  enabled: boolean;
  hours: string;
}

function AutoStopForm(props: {
  initial: IAutoStop;
  canDisable: boolean;
  trans: TranslationBundle;
  onChange: (value: IAutoStop) => void;
}): JSX.Element {
  const [value, setValue] = React.useState(props.initial);
  const update = (change: Partial<IAutoStop>) => {
    const next = { ...value, ...change };
    setValue(next);
    props.onChange(next);
  };
  return (
    <form
      className="jp-ModelArts-autoStopForm"
      onSubmit={event => event.preventDefault()}
    >
      {props.canDisable && (
        <label className="jp-ModelArts-formCheck">
          <input
            type="checkbox"
            name="enabled"
            checked={value.enabled}
            onChange={event => update({ enabled: event.target.checked })}
          />
          {props.trans.__('Stop automatically')}
        </label>
      )}
      {props.canDisable && (
        <div className="jp-ModelArts-formHint">
          {props.trans.__('A new duration counts from the next start.')}
        </div>
      )}
      <label className="jp-ModelArts-formField">
        {props.canDisable
          ? props.trans.__('Stop after (hours, %1 to %2)', 1, 24)
          : props.trans.__('Stop in (hours from now, %1 to %2)', 1, 24)}
        <input
          className="jp-mod-styled"
          name="hours"
          type="number"
          min={1}
          max={24}
          value={value.hours}
          onChange={event => update({ hours: event.target.value })}
        />
      </label>
    </form>
  );
}

class AutoStopBody
  extends ReactWidget
  implements Dialog.IBodyWidget<IAutoStop>
{
  constructor(
    enabled: boolean,
    hours: string,
    private readonly canDisable: boolean,
    private readonly trans: TranslationBundle
  ) {
    super();
    // The new API's lease always stops the instance; only its time changes.
    this._value = { enabled: canDisable ? enabled : true, hours };
  }

  getValue(): IAutoStop {
    return this._value;
  }

  protected render(): JSX.Element {
    return (
      <AutoStopForm
        initial={this._value}
        canDisable={this.canDisable}
        trans={this.trans}
        onChange={value => {
          this._value = value;
        }}
      />
    );
  }

  private _value: IAutoStop;
}
