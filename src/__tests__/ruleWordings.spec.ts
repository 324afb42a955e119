import { nullTranslator } from '@jupyterlab/translation';

import { errorMessage, IErrorBody } from '../errors';
import { RULE_WORDINGS } from '../ruleWordings';
import { chinese } from './catalog';

/** A rule the cloud client checks before sending, as the server sends it, in English and Chinese. */
type Case = [IErrorBody, string, string];

const rule = (
  code: string,
  params: Record<string, unknown>,
  message = 'the English of the server'
): IErrorBody => ({ code, message, params });

const BETWEEN_FIELDS: Case[] = [
  [
    rule('GO_TOGETHER', { first: 'dataset_id', second: 'dataset_version_id' }),
    'dataset_id and dataset_version_id go together',
    'dataset_id 和 dataset_version_id 需要同时填写'
  ],
  [
    rule('EXACTLY_ONE_OF', { choices: ['nfs', 'host_path'] }),
    'give exactly one of nfs / host_path',
    'nfs / host_path 中须填写且只能填写一项'
  ],
  [
    rule('REQUIRED_UNLESS', {
      alternatives: ['engine_name + engine_version', 'image_url']
    }),
    'is required unless engine_name + engine_version / image_url is given',
    '未填写 engine_name + engine_version / image_url 时为必填项'
  ],
  [
    rule('REQUIRED_WITH', { other: 'vpc_id' }),
    'is required with vpc_id',
    '填写 vpc_id 时为必填项'
  ],
  [
    rule('REQUIRED_WITH', { other: 'enable', value: true }),
    'is required when enable is true',
    'enable 为 true 时为必填项'
  ],
  [
    rule('ONLY_WITH', { other: 'DatasetId' }),
    'applies only with DatasetId',
    '仅在填写 DatasetId 时可用'
  ],
  [
    rule('ONLY_WITH', { other: 'auth_type', value: 'INTERNAL' }),
    'applies only when auth_type is INTERNAL',
    '仅在 auth_type 为 INTERNAL 时可用'
  ],
  [
    rule('ONLY_WITH', { given: 'DEDICATED', other: 'category', value: 'EFS' }),
    'DEDICATED applies only when category is EFS',
    'DEDICATED 仅在 category 为 EFS 时可用'
  ],
  [
    rule('EXCLUSIVE', { other: 'status' }),
    'cannot be combined with status',
    '不能与 status 同时填写'
  ],
  [
    rule('EXCLUSIVE', {
      given: 'create_time',
      other: 'config_type',
      value: 'sample'
    }),
    'create_time is not possible when config_type is sample',
    'config_type 为 sample 时不能使用 create_time'
  ],
  [
    rule('SAME_VALUE', { key: 'type' }),
    'every entry must have the same type',
    '所有条目的 type 必须相同'
  ],
  [
    rule('GIVEN_TWICE', { key: 'name', value: 'train_url' }),
    'the name train_url is given twice',
    'name train_url 重复出现'
  ],
  [
    rule('FILE_OUTSIDE_FOLDER', { folder: 'code_dir' }),
    'must be a file inside code_dir',
    '必须是 code_dir 中的文件'
  ],
  [
    rule('WEIGHTS_TOTAL', { total: 90 }),
    'The traffic weights must add up to 100 (they add up to 90)',
    '流量权重之和必须为 100（当前为 90）'
  ]
];

const OF_ONE_VALUE: Case[] = [
  [
    rule('FILE_NAME', { name: 'customize_service.py' }),
    'must be the path of customize_service.py',
    '必须是 customize_service.py 的路径'
  ],
  [
    rule('STARTS_WITH', { prefixes: ['oss://', 'nas://'] }),
    'must start with one of oss://, nas://',
    '必须以下列之一开头：oss://, nas://'
  ],
  [
    rule('MUST_NAME_ONE_OF', { choices: ['V100', 'A100'] }),
    'must name one of V100, A100',
    '必须包含以下之一：V100, A100'
  ],
  [
    rule('PRICE_DECIMALS', { decimals: 3 }),
    'must be a price with at most 3 decimals',
    '必须是最多 3 位小数的价格'
  ],
  [
    rule('NOT_A_SIZE', {}),
    'must be a size such as 8Gi (without a unit it means MiB)',
    '必须是 8Gi 这样的大小（不带单位时表示 MiB）'
  ],
  [rule('NOT_A_UUID', {}), 'must be a UUID', '必须是 UUID'],
  [
    rule('UNLIMITED_OR_POSITIVE', {}),
    'must be -1 (unlimited) or a positive number',
    '必须为 -1（不限）或正数'
  ],
  [
    rule('RESERVED_NAME', { name: 'default' }),
    'default is reserved',
    'default 为保留名称'
  ],
  [
    rule('OBS_FOLDER', { reason: 'trailing_slash' }),
    "must be an OBS folder ending with '/'",
    '必须是以“/”结尾的 OBS 文件夹'
  ],
  [
    rule('OBS_FOLDER', { reason: 'folder_name', name: '.cache' }),
    "the folder name .cache must not start with '.' or contain > < ? * | \" \\",
    '文件夹名 .cache 不能以“.”开头，也不能包含 > < ? * | " \\'
  ],
  [
    rule('OBS_FOLDER', { reason: 'bucket_root' }),
    'must be a folder inside a bucket, not the bucket root',
    '必须是桶内的文件夹，而不是桶本身'
  ],
  [
    rule('DYNAMIC_MOUNT', { rule: 'oss_only' }),
    'dynamic mounts are OSS only',
    '动态挂载仅支持 OSS'
  ],
  [
    rule('DYNAMIC_MOUNT', { rule: 'read_only' }),
    'dynamic mounts are read-only',
    '动态挂载只能是只读的'
  ],
  [
    rule('DYNAMIC_MOUNT', { rule: 'mount_path' }),
    'a dynamic mount must be under /mnt/dynamic/',
    '动态挂载必须位于 /mnt/dynamic/ 下'
  ],
  [
    rule('DYNAMIC_MOUNT', { rule: 'last' }),
    'dynamic datasets must come after the others',
    '动态数据集必须排在其他数据集之后'
  ],
  [
    rule('CREDENTIALS_OF_BACKEND', { backend: 'pai' }),
    'PAI profiles take a PAI AccessKey pair',
    'PAI 配置使用 PAI AccessKey 密钥对'
  ],
  [
    rule('CREDENTIALS_OF_BACKEND', { backend: 'modelarts' }),
    'ModelArts profiles take an AK/SK or an IAM password',
    'ModelArts 配置使用访问密钥（AK/SK）或 IAM 密码'
  ]
];

const CASES = [...BETWEEN_FIELDS, ...OF_ONE_VALUE];

describe('the rules a request breaks, worded from their code and parameters', () => {
  it.each(CASES)('words %j in English', (error, english) => {
    const trans = nullTranslator.load('jupyterlab_modelarts');
    expect(errorMessage(error, trans)).toBe(english);
  });

  it.each(CASES)('words %j in Simplified Chinese', (error, _, zh) => {
    expect(errorMessage(error, chinese())).toBe(zh);
  });

  it('words every code of a rule', () => {
    const tested = new Set(CASES.map(([error]) => error.code));
    expect(
      Object.keys(RULE_WORDINGS).filter(code => !tested.has(code))
    ).toEqual([]);
  });

  it('keeps the English of a rule it does not word', () => {
    const error = rule('DYNAMIC_MOUNT', { rule: 'elsewhere' }, 'Not here.');
    expect(errorMessage(error, chinese())).toBe('Not here.');
  });
});
