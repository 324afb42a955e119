# ruff: noqa: RUF001 - the Chinese texts use Chinese punctuation on purpose
"""The documented ModelArts error codes (004 §10.2) with their family and readable English and
Chinese texts.

The documents give no HTTP status per code, so the family (which exception class a code becomes)
is decided here from the code's meaning. Dataset and manual-labeling codes are left out: the
library calls no dataset API, and an unknown code still gets the upstream message.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Family = Literal[
    "auth", "not_found", "conflict", "quota", "validation", "rate_limit", "server", "network"
]


class ErrorCode(NamedTuple):
    family: Family
    en: str
    zh: str


_A: Family = "auth"
_N: Family = "not_found"
_C: Family = "conflict"
_Q: Family = "quota"
_V: Family = "validation"
_R: Family = "rate_limit"
_S: Family = "server"

# code: (family, English, Chinese)
_TABLE: dict[str, tuple[Family, str, str]] = {
    # Internal service errors
    "ModelArts.0010": (_S, "Unknown server error.", "未知的服务端错误。"),
    "ModelArts.0012": (_S, "The service timed out.", "服务超时。"),
    "ModelArts.0013": (_S, "The service could not connect.", "服务连接失败。"),
    # Basic errors
    "ModelArts.0101": (_S, "Invalid service configuration.", "服务配置无效。"),
    "ModelArts.0102": (_N, "The resource does not exist.", "资源不存在。"),
    "ModelArts.0103": (_C, "The name is already used.", "名称重复。"),
    "ModelArts.0104": (_N, "Invalid workspace ID.", "工作空间ID无效。"),
    "ModelArts.0105": (_C, "The operation is not allowed.", "不允许该操作。"),
    "ModelArts.0106": (
        _Q,
        "The maximum number of resources has been reached.",
        "已达到可创建资源的最大数量。",
    ),
    "ModelArts.0107": (_V, "Invalid request parameters.", "请求参数无效。"),
    "ModelArts.0108": (_A, "Unauthorized operation.", "无权限执行该操作。"),
    "ModelArts.0109": (_A, "The user has been frozen.", "用户已被冻结。"),
    "ModelArts.0110": (_V, "Incorrect CPU quantity.", "CPU数量不正确。"),
    "ModelArts.0111": (_A, "ModelArts is not enabled for this user.", "用户未开通ModelArts。"),
    "ModelArts.0112": (
        _A,
        "Fine-grained authorization did not pass.",
        "细粒度权限认证未通过。",
    ),
    "ModelArts.0113": (_Q, "The workspace quota is exceeded.", "超出工作空间配额。"),
    "ModelArts.0114": (_R, "Requests are sent too frequently.", "请求过于频繁。"),
    "ModelArts.0115": (_V, "Mandatory parameters are missing.", "缺少必填参数。"),
    "ModelArts.3522": (
        _Q,
        "The maximum number of instances of this service type is exceeded.",
        "超出该服务类型单服务实例数上限。",
    ),
    "ModelArts.6600": (_V, "Parameter verification failed.", "参数校验失败。"),
    "ModelArts.6608": (_S, "Failed to obtain user information.", "获取用户信息失败。"),
    "ModelArts.6620": (_A, "Invalid user token.", "用户Token无效。"),
    "ModelArts.6623": (_N, "The dataset was not found.", "数据集不存在。"),
    "ModelArts.6624": (_N, "The storage path was not found.", "存储路径不存在。"),
    "ModelArts.6650": (_N, "The project was not found.", "项目不存在。"),
    "ModelArts.6654": (_C, "A project with the same name exists.", "已存在同名项目。"),
    "ModelArts.6655": (_N, "The project template was not found.", "项目模板不存在。"),
    "ModelArts.6690": (_V, "An image cannot exceed 8 MB.", "图片大小不能超过8MB。"),
    # Authentication errors
    "ModelArts.0201": (_A, "The token is missing.", "Token不存在。"),
    "ModelArts.0202": (_A, "The token has expired.", "Token已过期。"),
    "ModelArts.0203": (_A, "The token is invalid.", "Token无效。"),
    "ModelArts.0204": (_A, "The token is incomplete.", "Token不完整。"),
    "ModelArts.0205": (_A, "Token authentication failed.", "Token认证失败。"),
    "ModelArts.0207": (_A, "The user cannot access OBS.", "用户无法访问OBS。"),
    "ModelArts.0208": (_A, "The uploaded AK/SK is unavailable.", "上传的AK/SK不可用。"),
    "ModelArts.0209": (_A, "Unauthorized user.", "用户未授权。"),
    "ModelArts.0210": (
        _A,
        "The project in the token differs from the project in the URL.",
        "Token中的项目与URL中的项目不一致。",
    ),
    "ModelArts.0211": (_A, "The AK/SK failed IAM verification.", "AK/SK未通过IAM校验。"),
    # OBS errors
    "ModelArts.0401": (_S, "OBS server error.", "OBS服务端错误。"),
    "ModelArts.0402": (_S, "OBS client error.", "OBS客户端错误。"),
    "ModelArts.0403": (_N, "The OBS listing was not found.", "未找到OBS列表。"),
    "ModelArts.0404": (_V, "Invalid OBS path.", "OBS路径无效。"),
    "ModelArts.0405": (
        _V,
        "Buckets of another region cannot be accessed.",
        "不能访问其他区域的桶。",
    ),
    "ModelArts.0406": (_V, "Invalid bucket.", "桶无效。"),
    "ModelArts.0407": (_A, "Access to the bucket is not authorized.", "无权访问该桶。"),
    "ModelArts.0409": (_Q, "Too many OBS objects.", "OBS对象数量超出上限。"),
    "ModelArts.0410": (_Q, "The OBS object is too large.", "OBS对象大小超出上限。"),
    "ModelArts.0412": (_C, "The bucket name already exists.", "桶名已存在。"),
    "ModelArts.0413": (_N, "The bucket does not exist.", "桶不存在。"),
    "ModelArts.0414": (_C, "The object name already exists.", "对象名已存在。"),
    "ModelArts.0415": (_A, "OBS access was rejected.", "OBS拒绝访问。"),
    "ModelArts.0416": (_C, "The bucket to delete is not empty.", "待删除的桶不为空。"),
    "ModelArts.0417": (_V, "The uploaded object is too small.", "上传对象小于最小值。"),
    "ModelArts.0418": (_V, "The uploaded object is too large.", "上传对象大于最大值。"),
    "ModelArts.0419": (_Q, "The maximum number of buckets is reached.", "桶数量已达上限。"),
    # Agency / authorization
    "ModelArts.0420": (_S, "Failed to query an agency.", "查询委托失败。"),
    "ModelArts.0421": (_S, "Failed to create an agency.", "创建委托失败。"),
    "ModelArts.0422": (_A, "Failed to query the user list.", "查询用户列表失败。"),
    "ModelArts.0423": (_A, "Service authorization is not approved.", "服务授权未同意。"),
    "ModelArts.0424": (
        _C,
        "User authorization information already exists.",
        "用户授权信息已存在。",
    ),
    "ModelArts.0425": (_S, "Failed to add user authorization.", "添加用户授权失败。"),
    "ModelArts.0426": (_S, "Failed to add user authorization.", "添加用户授权失败。"),
    "ModelArts.0427": (_S, "Failed to query authorization.", "查询授权信息失败。"),
    "ModelArts.0428": (_A, "Unauthorized user operation.", "用户操作未授权。"),
    "ModelArts.0553": (_S, "SMN reported an error.", "SMN返回错误。"),
    "ModelArts.0804": (_S, "AOM reported an error.", "AOM返回错误。"),
    # Training
    "ModelArts.2506": (_S, "Failed to submit the training job.", "提交训练作业失败。"),
    "ModelArts.2604": (
        _C,
        "Another running job uses this training output path.",
        "其他运行中的作业正在使用该训练输出路径。",
    ),
    # Models
    "ModelArts.3001": (_N, "The model does not exist.", "模型不存在。"),
    "ModelArts.3002": (_C, "The model already exists.", "模型已存在。"),
    "ModelArts.3003": (_S, "Failed to obtain the model name list.", "获取模型名称列表失败。"),
    "ModelArts.3004": (_S, "Failed to delete the model.", "删除模型失败。"),
    "ModelArts.3005": (_S, "Failed to copy the model.", "复制模型失败。"),
    "ModelArts.3006": (_S, "Failed to publish the model.", "发布模型失败。"),
    "ModelArts.3008": (
        _C,
        "The model is shared with other users and cannot be deleted.",
        "模型已共享给其他用户，无法删除。",
    ),
    "ModelArts.3009": (
        _C,
        "The model is deployed as a service; delete the service first.",
        "模型已部署为服务，请先删除服务。",
    ),
    "ModelArts.3010": (_A, "No permission to copy the model.", "无权限复制模型。"),
    "ModelArts.3013": (
        _V,
        "The model configuration file could not be read.",
        "获取模型配置文件失败。",
    ),
    "ModelArts.3014": (_V, "Failed to obtain the API information.", "获取API信息失败。"),
    "ModelArts.3015": (
        _V,
        "The model configuration file is not valid JSON.",
        "模型配置文件不是合法的JSON。",
    ),
    "ModelArts.3016": (
        _V,
        "The model configuration file could not be parsed.",
        "解析模型配置文件失败。",
    ),
    "ModelArts.3017": (
        _V,
        "Invalid model source path: it must contain the model folder and end with /.",
        "模型源路径无效：必须包含模型目录且以/结尾。",
    ),
    "ModelArts.3037": (_V, "Invalid parameter.", "参数无效。"),
    "ModelArts.3041": (_V, "Invalid version constraint.", "版本约束无效。"),
    # Services
    "ModelArts.3501": (_S, "Failed to publish the service.", "发布服务失败。"),
    "ModelArts.3502": (_N, "The service does not exist.", "服务不存在。"),
    "ModelArts.3503": (_C, "The service already exists.", "服务已存在。"),
    "ModelArts.3504": (_S, "Failed to delete the service.", "删除服务失败。"),
    "ModelArts.3505": (_S, "Failed to query services.", "查询服务失败。"),
    "ModelArts.3506": (_S, "Failed to update the service.", "更新服务失败。"),
    "ModelArts.3507": (
        _N,
        "A model in the service configuration does not exist.",
        "服务配置中的模型不存在。",
    ),
    "ModelArts.3508": (_S, "Failed to query service details.", "查询服务详情失败。"),
    "ModelArts.3509": (_S, "Failed to query edge nodes.", "查询边缘节点失败。"),
    "ModelArts.3511": (_S, "Failed to query the edge node label.", "查询边缘节点标签失败。"),
    "ModelArts.3512": (_N, "The edge node is not deployed.", "边缘节点未部署。"),
    "ModelArts.3513": (
        _S,
        "Failed to update the edge node instance status.",
        "更新边缘节点实例状态失败。",
    ),
    "ModelArts.3514": (
        _V,
        "The model has no input parameters for a batch service.",
        "模型没有输入参数，无法创建批量服务。",
    ),
    "ModelArts.3515": (_C, "The model is not published yet.", "模型尚未发布。"),
    "ModelArts.3516": (
        _V,
        "Model versions in one real-time service must differ.",
        "同一在线服务中的模型版本不能相同。",
    ),
    "ModelArts.3518": (_A, "Failed to access IEF.", "访问IEF失败。"),
    "ModelArts.3519": (
        _C,
        "The service cannot be updated in its current status.",
        "当前服务状态不允许更新。",
    ),
    "ModelArts.3520": (_Q, "Too many services in this instance.", "实例中的服务数量超出上限。"),
    "ModelArts.3533": (
        _V,
        "The edge node does not support this specification.",
        "边缘节点不支持该规格。",
    ),
    "ModelArts.3534": (
        _V,
        "The security group needs an inbound TCP rule for port 8080 from 0.0.0.0/0.",
        "安全组需包含来源0.0.0.0/0、端口8080的TCP入方向规则。",
    ),
    "ModelArts.3547": (_N, "The cluster does not exist.", "集群不存在。"),
    "ModelArts.3589": (
        _V,
        "The model's install_type does not allow this service type.",
        "模型的install_type不支持该服务类型。",
    ),
    "ModelArts.4302": (
        _S,
        "The model could not process the prediction request.",
        "模型无法处理该预测请求。",
    ),
    "APIG.0201": (_S, "The prediction request timed out (60 s).", "预测请求超时（60秒）。"),
    # Development environment: internal
    "ModelArts.6100": (_S, "Development environment timeout.", "开发环境超时。"),
    "ModelArts.6101": (_S, "The system is busy; retry later.", "系统繁忙，请稍后重试。"),
    "ModelArts.6102": (_S, "Development environment internal error.", "开发环境内部错误。"),
    "ModelArts.6200": (_S, "Development environment internal error.", "开发环境内部错误。"),
    # Development environment
    "ModelArts.6201": (_A, "The account is frozen.", "账号已冻结。"),
    "ModelArts.6203": (_A, "The account is restricted.", "账号受限。"),
    "ModelArts.6301": (_C, "An instance with this name already exists.", "同名实例已存在。"),
    "ModelArts.6302": (_Q, "The maximum number of instances is reached.", "实例数量已达上限。"),
    "ModelArts.6303": (_V, "This field does not support sorting.", "该字段不支持排序。"),
    "ModelArts.6304": (
        _C,
        "Stop the instance before deleting it.",
        "请先停止实例再删除。",
    ),
    "ModelArts.6305": (_C, "The instance is already running.", "实例已在运行。"),
    "ModelArts.6306": (
        _C,
        "No other operation is allowed while the instance is starting.",
        "实例启动中，不允许其他操作。",
    ),
    "ModelArts.6307": (_C, "The instance has been stopped.", "实例已停止。"),
    "ModelArts.6308": (_C, "The instance is being stopped.", "实例正在停止。"),
    "ModelArts.6309": (_N, "The instance does not exist.", "实例不存在。"),
    "ModelArts.6316": (_V, "spec.storage is required.", "创建实例必须提供storage参数。"),
    "ModelArts.6317": (_V, "A storage path is required.", "必须提供存储路径。"),
    "ModelArts.6318": (_V, "The path must end with /.", "路径必须以/结尾。"),
    "ModelArts.6319": (_A, "No AK/SK has been added to ModelArts.", "未在ModelArts中添加AK/SK。"),
    "ModelArts.6320": (_V, "OBS could not be accessed.", "访问OBS出错。"),
    "ModelArts.6323": (_V, "The flavor is not supported.", "不支持该规格。"),
    "ModelArts.6324": (_V, "The storage type is not supported.", "不支持该存储类型。"),
    "ModelArts.6326": (_C, "The instance is frozen.", "实例已冻结。"),
    "ModelArts.6327": (_C, "The instance is not running.", "实例未运行。"),
    "ModelArts.6328": (_A, "No permission to use this flavor.", "无权限使用该规格。"),
    "ModelArts.6329": (_Q, "The flavor is sold out.", "该规格已售罄。"),
    "ModelArts.6330": (
        _V,
        "The flavor type does not match the image type.",
        "规格类型与镜像类型不匹配。",
    ),
    "ModelArts.6331": (_V, "The EVS disk size exceeds the limit.", "EVS磁盘大小超出限制。"),
    "ModelArts.6332": (_V, "Wrong parameter type.", "参数类型错误。"),
    "ModelArts.6333": (
        _S,
        "The notebook instance is recovering from a fault.",
        "Notebook实例故障恢复中。",
    ),
    "ModelArts.6334": (_V, "Incorrect description.", "description参数不正确。"),
    "ModelArts.6335": (_V, "A parameter is missing.", "缺少参数。"),
    "ModelArts.6336": (_V, "Parameter error.", "参数错误。"),
    "ModelArts.6341": (_N, "The Git repository does not exist.", "Git仓库不存在。"),
    "ModelArts.6343": (_C, "The Git repository already exists.", "Git仓库已存在。"),
    "ModelArts.6344": (
        _C,
        "The repository cannot be deleted; delete the notebook first.",
        "无法删除仓库，请先删除Notebook。",
    ),
    "ModelArts.6345": (
        _V,
        "Git repositories cannot be used with OBS instances.",
        "OBS实例不能使用Git仓库。",
    ),
    "ModelArts.6346": (
        _V,
        "The auto-stop time must be later than now.",
        "自动停止时间必须晚于当前时间。",
    ),
    "ModelArts.6347": (_V, "This parameter cannot be modified.", "该参数不允许修改。"),
    "ModelArts.6348": (_V, "duration is required.", "缺少duration参数。"),
    "ModelArts.6349": (_V, "duration is out of range.", "duration超出范围。"),
    "ModelArts.6350": (_A, "OBS rejected the access (AK/SK or permission).", "OBS拒绝访问。"),
    "ModelArts.6357": (_C, "The instance cannot be modified.", "实例不可修改。"),
    "ModelArts.6358": (
        _V,
        "Use a folder inside the bucket, not the bucket root.",
        "请使用桶内目录，不能使用桶根目录。",
    ),
    "ModelArts.6361": (_S, "Internal error.", "内部错误。"),
    "ModelArts.6371": (
        _V,
        "Notebooks support only standard OBS buckets.",
        "Notebook仅支持标准OBS桶。",
    ),
    "ModelArts.6374": (
        _V,
        "The authentication type must be AK/SK or agency.",
        "认证类型必须为AK/SK或委托。",
    ),
    "ModelArts.6376": (_N, "The IAM agency does not exist.", "IAM委托不存在。"),
    "ModelArts.6377": (_V, "The user ID cannot be blank.", "用户ID不能为空。"),
    "ModelArts.6378": (_V, "The agency name cannot be blank.", "委托名称不能为空。"),
    "ModelArts.6379": (
        _V,
        "No agency is configured in the global settings.",
        "全局配置中未创建委托。",
    ),
    "ModelArts.6528": (_Q, "EVS disks are sold out.", "EVS磁盘已售罄。"),
    # System errors
    "ModelArts.6651": (_V, "Unsupported project object.", "不支持的项目对象。"),
    "ModelArts.6652": (_C, "Failed to delete the project's resources.", "删除项目资源失败。"),
    "ModelArts.6653": (_A, "Not authorized to operate the project.", "无权操作该项目。"),
    "ModelArts.6691": (_S, "The algorithm service is abnormal.", "算法服务异常。"),
    "ModelArts.6692": (_S, "The dataset service is abnormal.", "数据集服务异常。"),
    "ModelArts.6699": (_S, "Network error.", "网络异常。"),
    # Workspaces
    "ModelArts.7001": (_S, "Unknown workspace error.", "未知的工作空间错误。"),
    "ModelArts.7002": (_A, "Workspace authentication error.", "工作空间鉴权错误。"),
    "ModelArts.7003": (_A, "Incorrect IAM permissions.", "IAM权限不正确。"),
    "ModelArts.7004": (
        _C,
        "Resources cannot be created in an abnormal workspace.",
        "不能在异常的工作空间中创建资源。",
    ),
    "ModelArts.7005": (_N, "The workspace does not exist.", "工作空间不存在。"),
    "ModelArts.7100": (_S, "Enterprise project service error.", "企业项目服务请求错误。"),
    "ModelArts.7101": (_S, "Policy decision service error.", "PDP请求错误。"),
}

ERROR_CODES: dict[str, ErrorCode] = {code: ErrorCode(*row) for code, row in _TABLE.items()}


def describe(code: str | None, language: str = "en") -> str | None:
    """The documented text of ``code`` in ``language`` ("en", or "zh"/"zh-CN"/... for Chinese)."""
    entry = ERROR_CODES.get(code or "")
    if entry is None:
        return None
    return entry.zh if language.lower().startswith("zh") else entry.en
