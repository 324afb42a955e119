import { nullTranslator } from '@jupyterlab/translation';

import {
  formatBytes,
  formatCount,
  formatDate,
  formatDuration,
  formatPercent,
  setFormatLanguage
} from '../format';
import { errorMessage } from '../errors';
import { chinese } from './catalog';
import {
  IWordedOperation,
  operationTitle,
  statusLabel,
  stepMessage
} from '../wording';

// Noon UTC: the same day in every time zone the tests may run in.
const NOON = Date.UTC(2026, 11, 2, 12, 0, 0);

const LAUNCH: IWordedOperation = {
  title: 'Train iris',
  title_code: 'TRAIN',
  title_params: { job_name: 'iris' },
  steps: [
    {
      name: 'prepare',
      title: 'Prepare the code folder',
      state: 'succeeded',
      progress: 1,
      message: '12345 files, 1572864 bytes',
      message_code: 'FILES_STAGED',
      message_params: { files: 12345, bytes: 1572864 }
    }
  ]
};

describe('formats in English', () => {
  beforeAll(() => setFormatLanguage('en'));

  it('writes dates, durations, sizes, counts and percentages as English does', () => {
    expect(formatDate(NOON)).toMatch(/^Dec 2, 2026, \d/);
    expect(formatDuration(3_725_000)).toBe('1h 2m 5s');
    expect(formatDuration(5_000)).toBe('5s');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MiB');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatPercent(0.25)).toBe('25%');
  });

  it('words operations from their codes', () => {
    const trans = nullTranslator.load('jupyterlab_modelarts');
    expect(operationTitle(LAUNCH, trans)).toBe('Train iris');
    expect(stepMessage(LAUNCH.steps[0], trans)).toBe('12,345 files, 1.5 MiB');
  });
});

describe('formats in Simplified Chinese', () => {
  beforeAll(() => setFormatLanguage('zh-CN'));
  afterAll(() => setFormatLanguage('en'));

  it('writes dates and durations as Chinese does', () => {
    expect(formatDate(NOON)).toMatch(/^2026年12月2日 \d/);
    expect(formatDuration(3_725_000)).toBe('1小时 2分钟 5秒');
    expect(formatCount(12345)).toBe('12,345');
  });

  it('words operations from their codes, with the server English unused', () => {
    const trans = chinese();
    expect(operationTitle(LAUNCH, trans)).toBe('训练 iris');
    expect(stepMessage(LAUNCH.steps[0], trans)).toBe('12,345 个文件，1.5 MiB');
  });

  it('words refusals and statuses from their codes; unknown ones stay as sent', () => {
    const trans = chinese();
    const refusal = {
      code: 'TOO_MANY_WORKERS',
      message: 'this spec allows at most 2 workers',
      params: { max_num: 2 }
    };
    expect(errorMessage(refusal, trans)).toBe('该规格最多允许 2 个计算节点');
    const upstream = { code: 'QUOTA', message: 'The quota is used up.' };
    expect(errorMessage(upstream, trans)).toBe('The quota is used up.');
    expect(statusLabel('CREATE_QUEUING', trans)).toBe('排队创建中');
    expect(statusLabel('EnvPreparing', trans)).toBe('准备中');
    expect(statusLabel('Rebooting', trans)).toBe('Rebooting');
  });
});
