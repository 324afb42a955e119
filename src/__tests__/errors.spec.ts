import { nullTranslator } from '@jupyterlab/translation';

import { errorMessage, IErrorBody } from '../errors';
import { chinese } from './catalog';

/** An error the server builds, as it sends it, with its English and Chinese wording. */
type Case = [IErrorBody, string, string];

const FIELDS: Case[] = [
  [
    { code: 'FIELD_REQUIRED', message: 'path: Field required', params: {} },
    'is required',
    '为必填项'
  ],
  [
    {
      code: 'TOO_SHORT',
      message: 'path: String should have at least 1 character',
      params: { min_length: 1 }
    },
    'the length must be at least 1',
    '长度不能小于 1'
  ],
  [
    {
      code: 'TOO_LONG',
      message: 'label: String should have at most 64 characters',
      params: { max_length: 64 }
    },
    'the length must be at most 64',
    '长度不能大于 64'
  ],
  [
    { code: 'TOO_FEW', message: 'x', params: { min_length: 2 } },
    'the number of entries must be at least 2',
    '条目数不能少于 2'
  ],
  [
    { code: 'TOO_MANY', message: 'x', params: { max_length: 8 } },
    'the number of entries must be at most 8',
    '条目数不能多于 8'
  ],
  [
    {
      code: 'PATTERN_MISMATCH',
      message: "label: String should match pattern '^[a-z]+$'",
      params: { pattern: '^[a-z]+$' }
    },
    'does not have the expected form ^[a-z]+$',
    '格式不符合要求 ^[a-z]+$'
  ],
  [
    { code: 'OUT_OF_RANGE', message: 'x', params: { ge: 1 } },
    'must be at least 1',
    '不能小于 1'
  ],
  [
    { code: 'OUT_OF_RANGE', message: 'x', params: { gt: 0 } },
    'must be greater than 0',
    '必须大于 0'
  ],
  [
    { code: 'OUT_OF_RANGE', message: 'x', params: { le: 100 } },
    'must be at most 100',
    '不能大于 100'
  ],
  [
    { code: 'OUT_OF_RANGE', message: 'x', params: { lt: 5 } },
    'must be less than 5',
    '必须小于 5'
  ],
  [
    {
      code: 'NOT_A_CHOICE',
      message: "api: Input should be 'v1' or 'v2'",
      params: { expected: "'v1' or 'v2'" }
    },
    "must be one of 'v1' or 'v2'",
    "必须是以下之一：'v1' or 'v2'"
  ],
  [
    { code: 'UNKNOWN_FIELD', message: 'x', params: {} },
    'is not a known field',
    '不是已知字段'
  ]
];

const SIGN_IN: Case[] = [
  [
    {
      code: 'NO_SUCH_PROFILE',
      message: "no profile named 'prod'",
      params: { name: 'prod' }
    },
    'no profile named prod',
    '没有名为 prod 的配置'
  ],
  [
    {
      code: 'ENDPOINT_REFUSED',
      message: 'https://x.test is not among the hosts the administrator allows',
      params: { url: 'https://x.test', reason: 'host_not_allowed' }
    },
    'https://x.test is not among the hosts the administrator allows',
    'https://x.test 不在管理员允许的主机之列'
  ],
  [
    {
      code: 'NO_SUCH_REGION',
      message: "Huawei Cloud has no region 'xx-1': one of cn-north-4",
      params: { cloud: 'Huawei Cloud', region: 'xx-1', choices: 'cn-north-4' }
    },
    'Huawei Cloud has no region xx-1: one of cn-north-4',
    'Huawei Cloud 没有区域 xx-1：可选 cn-north-4'
  ],
  [
    {
      code: 'WRONG_BACKEND',
      message: "profile 'p' is a PAI DSW profile",
      params: { name: 'p', pai: true }
    },
    'profile p is a PAI DSW profile',
    '配置 p 是 PAI DSW 配置'
  ],
  [
    {
      code: 'NOT_OFFERED',
      message:
        'The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API.',
      params: { reason: 'devenviron', cloud: 'Huawei Cloud' }
    },
    'The old DevEnviron API is not offered by Huawei Cloud; use the Notebooks API.',
    'Huawei Cloud 不提供旧版 DevEnviron API；请使用 Notebooks API。'
  ],
  [
    {
      code: 'NOT_OFFERED',
      message: 'Training v1 is not offered by Huawei Cloud; use training v2.',
      params: {
        reason: 'training_generation',
        cloud: 'Huawei Cloud',
        generation: 'v1',
        offered: ['v2']
      }
    },
    'Training v1 is not offered by Huawei Cloud; use training v2.',
    'Huawei Cloud 不提供训练 v1；请使用训练 v2。'
  ]
];
const INSTANCES: Case[] = [
  [
    {
      code: 'FORBIDDEN_CHARACTERS',
      message: 'must not contain < >',
      params: { characters: '< >' }
    },
    'must not contain < >',
    '不能包含 < >'
  ],
  [
    {
      code: 'UNKNOWN_API',
      message: "api: profile 'p' offers notebooks, not 'devenv'",
      params: { name: 'p', offered: 'notebooks', api: 'devenv' }
    },
    'profile p offers notebooks, not devenv',
    '配置 p 提供 notebooks，不提供 devenv'
  ],
  [
    {
      code: 'UNKNOWN_ACTION',
      message: "action: the pai API offers start, stop, not 'queue'",
      params: { api: 'pai', offered: 'start, stop', action: 'queue' }
    },
    'the pai API offers start, stop, not queue',
    'pai API 提供 start, stop，不提供 queue'
  ]
];

const PATHS: Case[] = [
  [
    {
      code: 'CONTROL_CHARACTER',
      message: 'the path contains the control character U+000A',
      params: { character: 'U+000A' }
    },
    'the path contains the control character U+000A',
    '路径包含控制字符 U+000A'
  ],
  [
    {
      code: 'HALF_SURROGATE',
      message: 'x',
      params: { character: 'U+D800' }
    },
    'the path contains U+D800, half of a UTF-16 pair, which no file name can hold',
    '路径包含 U+D800，这是 UTF-16 代理对的一半，任何文件名都无法容纳'
  ],
  [
    {
      code: 'OUTSIDE_ROOT',
      message: "the path must not contain '..'",
      params: { reason: 'parent' }
    },
    "the path must not contain '..'",
    '路径不能包含“..”'
  ],
  [
    {
      code: 'OUTSIDE_ROOT',
      message: 'link leads outside the server root',
      params: { reason: 'leads_outside', path: 'link' }
    },
    'link leads outside the server root',
    'link 指向服务器根目录之外'
  ],
  [
    {
      code: 'NO_SUCH_PATH',
      message: 'a/b.py does not exist',
      params: { path: 'a/b.py' }
    },
    'a/b.py does not exist',
    'a/b.py 不存在'
  ]
];

const TRAINING_GENERATIONS: Case[] = [
  [
    {
      code: 'NOT_OFFERED',
      message: 'Built-in algorithms: part of the old training API (v1), ...',
      params: { reason: 'v1_only', feature: 'built_in_algorithms' }
    },
    'Built-in algorithms: part of the old training API (v1), which this account does not train through (it uses v2); train your own code from a file',
    '预置算法：属于旧版训练 API（v1），此账号不通过它训练（使用 v2）；请从文件训练自己的代码'
  ],
  [
    {
      code: 'NOT_OFFERED',
      message: "A job's events: part of the current training API (v2), ...",
      params: { reason: 'v2_only', feature: 'events' }
    },
    "A job's events: part of the current training API (v2), which this account does not train through (it uses v1); its log tells how it went",
    '作业的事件：属于新版训练 API（v2），此账号不通过它训练（使用 v1）；作业日志会说明运行情况'
  ]
];

const LOGS: Case[] = [
  [
    {
      code: 'NO_SUCH_WORKER',
      message: "a worker index below 2 or 'all'",
      params: { workers: 2, all: 'all' }
    },
    'a worker index below 2 or all',
    '小于 2 的计算节点序号或 all'
  ],
  [
    {
      code: 'LINE_MARKERS',
      message: 'one line marker per worker (2)',
      params: { workers: 2 }
    },
    'one line marker per worker (2)',
    '每个计算节点一个行标记（2 个）'
  ],
  [
    { code: 'NO_LOG_YET', message: 'this version has no log yet' },
    'this version has no log yet',
    '此版本还没有日志'
  ]
];

/** Refusals the operations and handlers build: the REST API's own errors. */
const OPERATIONS: Case[] = [
  [
    {
      code: 'INVALID_ID',
      message: 'version_id: too long for an id',
      params: { name: 'version_id', reason: 'too_long' }
    },
    'version_id: too long for an id',
    'version_id：作为 ID 太长'
  ],
  [
    {
      code: 'INVALID_ID',
      message: 'job_id: not a valid id',
      params: { name: 'job_id', reason: 'not_an_id' }
    },
    'job_id: not a valid id',
    'job_id：不是有效的 ID'
  ],
  [
    {
      code: 'INVALID_ID',
      message: 'is not a training job id',
      params: { name: 'job_id', reason: 'not_a_job_id' }
    },
    'is not a training job id',
    '不是训练作业 ID'
  ],
  [
    {
      code: 'INVALID_JSON',
      message: 'the request body is not valid JSON',
      params: { reason: 'not_json' }
    },
    'the request body is not valid JSON',
    '请求体不是有效的 JSON'
  ],
  [
    {
      code: 'INVALID_JSON',
      message: 'the request body must be a JSON object',
      params: { reason: 'not_an_object' }
    },
    'the request body must be a JSON object',
    '请求体必须是 JSON 对象'
  ],
  [
    {
      code: 'BODY_TOO_LARGE',
      message: 'the request body is larger than 1048576 bytes',
      params: { limit: 1048576 }
    },
    'the request body is larger than 1048576 bytes',
    '请求体大于 1048576 字节'
  ],
  [
    {
      code: 'UPSTREAM_INVALID',
      message:
        'the service answered with something other than its documented JSON'
    },
    'the service answered with something other than its documented JSON',
    '服务返回的内容不是其文档所述的 JSON'
  ],
  [
    {
      code: 'UNREACHABLE',
      message: 'iam is unreachable: connection refused',
      params: { service: 'iam', error: 'connection refused' }
    },
    'iam is unreachable: connection refused',
    '无法连接 iam：connection refused'
  ],
  [
    { code: 'NOT_A_WHOLE_NUMBER', message: 'must be a whole number' },
    'must be a whole number',
    '必须是整数'
  ],
  [
    {
      code: 'NOT_A_WHOLE_NUMBER',
      message: 'must be a whole number, 1 or more',
      params: { minimum: 1 }
    },
    'must be a whole number, 1 or more',
    '必须是大于等于 1 的整数'
  ],
  [
    { code: 'NOT_AN_OBJECT', message: 'request: an object is required' },
    'an object is required',
    '必须是一个对象'
  ],
  [
    { code: 'NOT_A_NUMBER', message: 'Input should be a valid number' },
    'must be a number',
    '必须是数字'
  ],
  [
    { code: 'NOT_TRUE_OR_FALSE', message: 'Input should be a valid boolean' },
    'must be true or false',
    '必须是 true 或 false'
  ],
  [
    { code: 'NOT_TEXT', message: 'Input should be a valid string' },
    'must be text',
    '必须是文本'
  ],
  [
    { code: 'NOT_A_LIST', message: 'Input should be a valid list' },
    'must be a list',
    '必须是列表'
  ],
  [
    { code: 'NOT_BASE64', message: 'must be base64' },
    'must be base64',
    '必须是 base64 编码'
  ],
  [
    {
      code: 'GIVE_ONE_OF',
      message: 'give instance_count or specification',
      params: { fields: ['instance_count', 'specification'] }
    },
    'give one of instance_count, specification',
    '请提供以下之一：instance_count, specification'
  ],
  [
    {
      code: 'UNUSABLE_PATH',
      message: 'a/b: File name too long',
      params: { path: 'a/b', error: 'File name too long' }
    },
    'a/b cannot be used: File name too long',
    '无法使用 a/b：File name too long'
  ],
  [
    {
      code: 'INVALID_NOTEBOOK',
      message: 'cannot convert the notebook: Unreadable Notebook',
      params: { error: 'Unreadable Notebook' }
    },
    'cannot convert the notebook: Unreadable Notebook',
    '无法转换该 Notebook：Unreadable Notebook'
  ],
  [
    {
      code: 'NO_ACCESS_KEY',
      message: "profile 'prod' needs an access key (AK/SK) to upload to OBS",
      params: { name: 'prod' }
    },
    'profile prod needs an access key (AK/SK) to upload to OBS',
    '配置 prod 需要访问密钥（AK/SK）才能上传到 OBS'
  ],
  [
    {
      code: 'NO_OBS_ENDPOINT',
      message: "profile 'prod' names no OBS endpoint and its cloud gives none",
      params: { name: 'prod' }
    },
    'profile prod names no OBS endpoint and its cloud gives none',
    '配置 prod 未指定 OBS 终端节点，其所在云也未提供'
  ],
  [
    {
      code: 'NO_SUCH_OPERATION',
      message: "no operation 'abc'",
      params: { id: 'abc' }
    },
    'no operation abc',
    '没有操作 abc'
  ],
  [
    {
      code: 'WRONG_KIND',
      message: 'not a deployment',
      params: { kind: 'deploy' }
    },
    'not a deployment',
    '不是部署操作'
  ],
  [
    {
      code: 'WRONG_KIND',
      message: 'not a training launch',
      params: { kind: 'training_launch' }
    },
    'not a training launch',
    '不是训练启动操作'
  ],
  [
    { code: 'ALREADY_RUNNING', message: 'this operation is already running' },
    'this operation is already running',
    '此操作已在运行'
  ],
  [
    { code: 'NOT_RUNNING', message: 'the operation is not running' },
    'the operation is not running',
    '该操作未在运行'
  ],
  [
    {
      code: 'NOT_RESUMABLE',
      message: 'the deployment has succeeded',
      params: { state: 'succeeded' }
    },
    'The deployment has succeeded.',
    '该部署已成功。'
  ],
  [
    {
      code: 'NOT_RETRYABLE',
      message: 'the launch has running',
      params: { state: 'running' }
    },
    'The launch has running.',
    '该启动运行中。'
  ],
  [
    { code: 'JOB_HAS_NO_VERSION', message: 'the job has no version' },
    'the job has no version',
    '该作业没有版本'
  ],
  [
    {
      code: 'NO_SUCH_VERSION',
      message: 'a v2 training job has one version, 1',
      params: { version: 1 }
    },
    'a v2 training job has one version, 1',
    'v2 训练作业只有一个版本：1'
  ],
  [
    {
      code: 'NOT_STOPPABLE',
      message:
        'the version is completed: only a queued or running version can be stopped',
      params: { status: 'completed' }
    },
    'The job is completed: only a queued or running job can be stopped.',
    '该作业已完成：只能停止排队中或运行中的作业。'
  ],
  [
    { code: 'NO_OUTPUT', message: 'this version wrote no output (yet)' },
    'this version wrote no output (yet)',
    '此版本（尚）未写出任何输出'
  ],
  [
    {
      code: 'OUTPUT_EXISTS',
      message: '2 file(s) of the output are already in out: a.txt, b.txt',
      params: { folder: 'out', count: 2, files: ['a.txt', 'b.txt'] }
    },
    '2 file(s) of the output are already in out: a.txt, b.txt',
    'out 中已有 2 个输出文件：a.txt, b.txt'
  ],
  [
    {
      code: 'NO_SUCH_ACTION',
      message: "unknown action 'pause'",
      params: { action: 'pause' }
    },
    'unknown action pause',
    '未知操作 pause'
  ],
  [
    {
      code: 'ALREADY_A_PACKAGE',
      message: 'iris already is a model package',
      params: { name: 'iris' }
    },
    'iris already is a model package',
    'iris 已经是模型包'
  ],
  [
    {
      code: 'NEEDS_INFERENCE_CODE',
      message: 'a PyTorch model needs inference code: generate the package',
      params: { model_type: 'PyTorch' }
    },
    'a PyTorch model needs inference code: generate the package',
    'PyTorch 模型需要推理代码：请生成模型包'
  ],
  [
    {
      code: 'MODEL_NOT_PUBLISHED',
      message:
        'model iris 1.0.0 is failed: only a published model can be deployed',
      params: { name: 'iris', version: '1.0.0', status: 'failed' }
    },
    'Model iris 1.0.0 is failed: only a published model can be deployed.',
    '模型 iris 1.0.0 已失败：只有已发布的模型才能部署。'
  ],
  [
    {
      code: 'MODEL_VERSION_EXISTS',
      message: 'iris 1.0.0 already exists: choose another version',
      params: { name: 'iris', version: '1.0.0' }
    },
    'iris 1.0.0 already exists: choose another version',
    'iris 1.0.0 已存在：请选择其他版本'
  ],
  [
    {
      code: 'SERVICE_REQUIRED',
      message: 'an imported model is deployed: give the service'
    },
    'an imported model is deployed: give the service',
    '部署已导入的模型时必须提供服务'
  ],
  [
    {
      code: 'SERVICE_EXISTS',
      message: 'a service named iris already exists',
      params: { name: 'iris' }
    },
    'a service named iris already exists',
    '已存在名为 iris 的服务'
  ],
  [
    {
      code: 'NO_SUCH_SERVICE',
      message: "no service 'iris'",
      params: { name: 'iris' }
    },
    'no service iris',
    '没有服务 iris'
  ],
  [
    {
      code: 'SERVICE_NOT_RUNNING',
      message: 'service iris is stopped: start it first',
      params: { name: 'iris', status: 'stopped' }
    },
    'Service iris is stopped: start it first.',
    '服务 iris 已停止：请先启动它。'
  ],
  [
    {
      code: 'NO_ANSWER',
      message: 'the service did not answer: ReadTimeout',
      params: { error: 'ReadTimeout' }
    },
    'the service did not answer: ReadTimeout',
    '服务没有响应：ReadTimeout'
  ],
  [
    {
      code: 'NO_SUCH_POOL',
      message: 'no dedicated resource pool c1',
      params: { cluster_id: 'c1' }
    },
    'no dedicated resource pool c1',
    '没有专属资源池 c1'
  ],
  [
    {
      code: 'POOL_NOT_RUNNING',
      message: 'resource pool pool-a is abnormal: choose one that runs',
      params: { name: 'pool-a', status: 'abnormal' }
    },
    'Resource pool pool-a is abnormal: choose one that runs.',
    '资源池 pool-a 异常：请选择运行中的资源池。'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'customize_service.py is required for PyTorch models',
      params: {
        reason: 'service_file',
        file: 'customize_service.py',
        model_type: 'PyTorch'
      }
    },
    'customize_service.py is required for PyTorch models',
    'PyTorch 模型需要 customize_service.py'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'config.json is not valid JSON: Expecting value',
      params: {
        reason: 'not_json',
        file: 'config.json',
        error: 'Expecting value'
      }
    },
    'config.json is not valid JSON: Expecting value',
    'config.json 不是有效的 JSON：Expecting value'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'config.json must hold a JSON object',
      params: { reason: 'not_an_object', file: 'config.json' }
    },
    'config.json must hold a JSON object',
    'config.json 必须包含一个 JSON 对象'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'config.json: model_type must be one of TensorFlow, PyTorch',
      params: {
        reason: 'model_type',
        file: 'config.json',
        choices: ['TensorFlow', 'PyTorch']
      }
    },
    'config.json: model_type must be one of TensorFlow, PyTorch',
    'config.json：model_type 必须是以下之一：TensorFlow, PyTorch'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'config.json: model_algorithm is required (1-36 characters)',
      params: { reason: 'model_algorithm', file: 'config.json' }
    },
    'config.json: model_algorithm is required (1-36 characters)',
    'config.json：model_algorithm 为必填项（1-36 个字符）'
  ],
  [
    {
      code: 'INVALID_PACKAGE',
      message: 'weights.pt is a PyTorch state dict: ...',
      params: {
        reason: 'state_dict',
        name: 'weights.pt',
        file: 'customize_service.py'
      }
    },
    "weights.pt is a PyTorch state dict: it needs the model's class to run. Save it with torch.jit.script(model).save(...), or write a model package with customize_service.py that builds the model and loads the state dict",
    'weights.pt 是 PyTorch 的 state dict：运行它需要模型的类。请用 torch.jit.script(model).save(...) 保存，或编写一个带 customize_service.py 的模型包，由它构建模型并加载 state dict'
  ],
  [
    {
      code: 'FREE_FLAVOR_ONLY',
      message: 'only instances of a free flavor can queue'
    },
    'only instances of a free flavor can queue',
    '只有免费规格的实例才能排队'
  ],
  [
    {
      code: 'INSTANCE_SETTLING',
      message: 'the instance is CREATING: wait until it settles',
      params: { status: 'CREATING' }
    },
    'the instance is creating: wait until it settles',
    '实例创建中：请等待其状态稳定'
  ],
  [
    { code: 'STOP_FIRST', message: 'a running instance must be stopped first' },
    'a running instance must be stopped first',
    '必须先停止运行中的实例'
  ],
  [
    {
      code: 'NOT_IN_STATUS',
      message: 'not possible while the instance is RUNNING',
      params: { status: 'RUNNING' }
    },
    'not possible while the instance is running',
    '实例运行中时无法执行此操作'
  ]
];

const WORDED = [
  ...FIELDS,
  ...SIGN_IN,
  ...INSTANCES,
  ...PATHS,
  ...TRAINING_GENERATIONS,
  ...LOGS,
  ...OPERATIONS
];

describe('errors the server builds from a code and parameters', () => {
  it.each(WORDED)('words %j in English', (error, english) => {
    const trans = nullTranslator.load('jupyterlab_modelarts');
    expect(errorMessage(error, trans)).toBe(english);
  });

  it.each(WORDED)('words %j in Simplified Chinese', (error, _, zh) => {
    expect(errorMessage(error, chinese())).toBe(zh);
  });

  it('keeps the English of a reason it does not word', () => {
    const error = {
      code: 'NOT_OFFERED',
      message: 'Not here.',
      params: { reason: 'elsewhere' }
    };
    expect(errorMessage(error, chinese())).toBe('Not here.');
  });
});
