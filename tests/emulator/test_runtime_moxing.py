"""The moxing shim maps obs:// and s3:// URLs to the local OBS folder, as scripts expect."""

import os

import pytest

from jupyterlab_modelarts.emulator.runtime.shims.moxing import file as mox_file


@pytest.fixture
def obs_root(tmp_path, monkeypatch):
    root = tmp_path / "buckets"
    (root / "bucket").mkdir(parents=True)
    monkeypatch.setenv(mox_file.OBS_ROOT_ENV, str(root))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return root


def test_write_read_list_and_remove_through_urls(obs_root, tmp_path):
    with mox_file.File("obs://bucket/out/model/config.json", "w") as handle:
        handle.write("{}")
    assert (obs_root / "bucket" / "out" / "model" / "config.json").read_text() == "{}"
    assert mox_file.exists("s3://bucket/out/model/config.json")
    assert mox_file.is_directory("obs://bucket/out/model/")
    mox_file.write("obs://bucket/out/a.txt", "a")
    mox_file.append("obs://bucket/out/a.txt", "b")
    assert mox_file.read("obs://bucket/out/a.txt") == "ab"
    assert mox_file.list_directory("obs://bucket/out") == ["a.txt", "model"]
    assert mox_file.list_directory("obs://bucket/out", recursive=True, skip_dir=True) == [
        "a.txt",
        "model/config.json",
    ]
    assert mox_file.glob("obs://bucket/out/*.txt") == ["obs://bucket/out/a.txt"]
    assert mox_file.get_size("obs://bucket/out", recursive=True) == 4
    with pytest.raises(mox_file.MoxFileReadException):
        mox_file.remove("obs://bucket/out")
    mox_file.remove("obs://bucket/out", recursive=True)
    assert not mox_file.exists("obs://bucket/out")


def test_copy_parallel_up_and_down(obs_root, tmp_path):
    local = tmp_path / "local"
    (local / "sub").mkdir(parents=True)
    (local / "sub" / "x.bin").write_bytes(b"\x00\x01")
    mox_file.copy_parallel(str(local), "s3://bucket/data/")
    assert (obs_root / "bucket" / "data" / "sub" / "x.bin").read_bytes() == b"\x00\x01"
    mox_file.copy_parallel("obs://bucket/data/", str(tmp_path / "back"))
    assert (tmp_path / "back" / "sub" / "x.bin").read_bytes() == b"\x00\x01"
    mox_file.copy("obs://bucket/data/sub/x.bin", "obs://bucket/copy/")
    assert (obs_root / "bucket" / "copy" / "x.bin").exists()


def test_missing_objects_and_buckets_raise_moxing_errors(obs_root):
    with pytest.raises(mox_file.MoxFileNotExistsException):
        mox_file.File("obs://bucket/absent.txt")
    with pytest.raises(mox_file.MoxFileRespException, match="NoSuchBucket"):
        mox_file.write("obs://other-bucket/a.txt", "x")
    with pytest.raises(mox_file.MoxFileRespException, match="outside its bucket"):
        mox_file.exists("obs://bucket/../escape")
    with pytest.raises(OSError):
        mox_file.mk_dir("obs://bucket/no/parent")


def test_shift_lets_open_and_os_take_obs_urls(obs_root):
    mox_file.shift("os", "mox")
    try:
        with open("obs://bucket/shifted.txt", "w") as handle:
            handle.write("hello")
        assert os.path.exists("obs://bucket/shifted.txt")
        assert os.listdir("obs://bucket/") == ["shifted.txt"]
    finally:
        mox_file.shift("mox", "os")
    assert not os.path.exists("obs://bucket/shifted.txt")
