"""Joining a multipart upload's parts: in the kernel where it can, through memory where it
cannot, with the same bytes either way."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest

from jupyterlab_modelarts.emulator.obs_storage import _append


@pytest.mark.parametrize("kernel_copy", [True, False], ids=["copy_file_range", "fallback"])
def test_parts_are_joined_byte_for_byte(tmp_path: Path, kernel_copy: bool):
    parts = [os.urandom(5 * 1024 * 1024 + 7), os.urandom(1234), b"last"]
    for index, data in enumerate(parts):
        (tmp_path / f"part{index}").write_bytes(data)
    unsupported = mock.patch("os.copy_file_range", side_effect=OSError(38, "not supported"))
    with (tmp_path / "joined").open("wb") as joined:
        for index in range(len(parts)):
            with (tmp_path / f"part{index}").open("rb") as part:
                if kernel_copy:
                    _append(part, joined)
                else:
                    with unsupported:
                        _append(part, joined)
    assert (tmp_path / "joined").read_bytes() == b"".join(parts)
