import { TranslationBundle } from '@jupyterlab/translation';

import { ErrorParams, text, Wording } from './errorWording';

/** Fields one of which is meant (a group of fields joined with +), as a/b/c. */
const either = (value: unknown): string =>
  Array.isArray(value) ? value.join(' / ') : text(value);

/** The rules of dynamic dataset mounts on PAI DSW, by the rule the server names. */
const DYNAMIC_MOUNT_RULES: Record<
  string,
  (trans: TranslationBundle) => string
> = {
  oss_only: trans => trans.__('dynamic mounts are OSS only'),
  read_only: trans => trans.__('dynamic mounts are read-only'),
  mount_path: trans => trans.__('a dynamic mount must be under /mnt/dynamic/'),
  last: trans => trans.__('dynamic datasets must come after the others')
};

/** The refusals of an OBS folder, by the reason the server names. */
function obsFolder(
  params: ErrorParams,
  trans: TranslationBundle
): string | null {
  switch (params.reason) {
    case 'trailing_slash':
      return trans.__("must be an OBS folder ending with '/'");
    case 'folder_name':
      return trans.__(
        "the folder name %1 must not start with '.' or contain > < ? * | \" \\",
        text(params.name)
      );
    case 'bucket_root':
      return trans.__('must be a folder inside a bucket, not the bucket root');
    default:
      return null;
  }
}

/**
 * The rules a request breaks that the cloud client checks before sending:
 * mostly rules between fields (`other` names the field a rule depends on,
 * `value` the value of it that matters, `given` the value of the field
 * itself). Field names are the API's, as the server sends them.
 */
export const RULE_WORDINGS: Record<string, Wording> = {
  GO_TOGETHER: (p, trans) =>
    trans.__('%1 and %2 go together', text(p.first), text(p.second)),
  EXACTLY_ONE_OF: (p, trans) =>
    trans.__('give exactly one of %1', either(p.choices)),
  REQUIRED_UNLESS: (p, trans) =>
    trans.__('is required unless %1 is given', either(p.alternatives)),
  REQUIRED_WITH: (p, trans) =>
    p.value === undefined
      ? trans.__('is required with %1', text(p.other))
      : trans.__('is required when %1 is %2', text(p.other), text(p.value)),
  ONLY_WITH: (p, trans) => {
    if (p.given !== undefined) {
      return trans.__(
        '%1 applies only when %2 is %3',
        text(p.given),
        text(p.other),
        text(p.value)
      );
    }
    return p.value === undefined
      ? trans.__('applies only with %1', text(p.other))
      : trans.__('applies only when %1 is %2', text(p.other), text(p.value));
  },
  EXCLUSIVE: (p, trans) =>
    p.given === undefined
      ? trans.__('cannot be combined with %1', text(p.other))
      : trans.__(
          '%1 is not possible when %2 is %3',
          text(p.given),
          text(p.other),
          text(p.value)
        ),
  SAME_VALUE: (p, trans) =>
    trans.__('every entry must have the same %1', text(p.key)),
  GIVEN_TWICE: (p, trans) =>
    trans.__('the %1 %2 is given twice', text(p.key), text(p.value)),
  FILE_OUTSIDE_FOLDER: (p, trans) =>
    trans.__('must be a file inside %1', text(p.folder)),
  FILE_NAME: (p, trans) => trans.__('must be the path of %1', text(p.name)),
  WEIGHTS_TOTAL: (p, trans) =>
    trans.__(
      'The traffic weights must add up to 100 (they add up to %1)',
      text(p.total)
    ),
  STARTS_WITH: (p, trans) =>
    trans.__('must start with one of %1', text(p.prefixes)),
  MUST_NAME_ONE_OF: (p, trans) =>
    trans.__('must name one of %1', text(p.choices)),
  PRICE_DECIMALS: (p, trans) =>
    trans.__('must be a price with at most %1 decimals', text(p.decimals)),
  NOT_A_SIZE: (_, trans) =>
    trans.__('must be a size such as 8Gi (without a unit it means MiB)'),
  NOT_A_UUID: (_, trans) => trans.__('must be a UUID'),
  UNLIMITED_OR_POSITIVE: (_, trans) =>
    trans.__('must be -1 (unlimited) or a positive number'),
  RESERVED_NAME: (p, trans) => trans.__('%1 is reserved', text(p.name)),
  OBS_FOLDER: obsFolder,
  DYNAMIC_MOUNT: (p, trans) =>
    DYNAMIC_MOUNT_RULES[text(p.rule)]?.(trans) ?? null,
  CREDENTIALS_OF_BACKEND: (p, trans) =>
    p.backend === 'pai'
      ? trans.__('PAI profiles take a PAI AccessKey pair')
      : trans.__('ModelArts profiles take an AK/SK or an IAM password')
};
