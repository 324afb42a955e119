"""Every user-facing string of the front end has a Simplified Chinese translation."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ZH_CN = (
    ROOT / "jupyterlab_modelarts" / "locale" / "zh_CN" / "LC_MESSAGES" / "jupyterlab_modelarts.json"
)
# trans.__('...'), trans._n('...', ...), trans._p('context', '...'): the first string literal.
MESSAGE = re.compile(
    r"""trans\.(?:__|_n)\(\s*(?P<q>['"])(?P<msgid>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S
)


def front_end_messages() -> set[str]:
    messages = set()
    for source in (ROOT / "src").rglob("*.ts*"):
        if "__tests__" in source.parts:
            continue
        for match in MESSAGE.finditer(source.read_text(encoding="utf-8")):
            messages.add(re.sub(r"\\(.)", r"\1", match["msgid"]))
    return messages


def test_every_front_end_message_has_a_chinese_translation():
    catalog = json.loads(ZH_CN.read_text(encoding="utf-8"))
    messages = front_end_messages()
    assert len(messages) > 10
    missing = sorted(messages - catalog.keys())
    assert not missing, f"messages without a zh_CN translation: {missing}"
    unused = sorted(catalog.keys() - messages - {""})
    assert not unused, f"translations of messages the front end no longer has: {unused}"
    # JupyterLab shows a translation's first element: of a bare string, its first character.
    bare = sorted(key for key, value in catalog.items() if key and not isinstance(value, list))
    assert not bare, f"translations that are not a list of forms: {bare}"


@pytest.mark.parametrize(
    "server_app_config",
    [{"jpserver_extensions": {"jupyterlab": True, "jupyterlab_modelarts": True}}],
)
async def test_jupyterlab_serves_the_translations_in_chinese(jp_fetch):
    response = await jp_fetch("lab", "api", "translations", "zh_CN")
    bundle = json.loads(response.body)["data"]
    assert bundle["jupyterlab_modelarts"]["Training"] == ["训练作业"]
