"""Profile P3-upload's two sides with py-spy, the large files and the small files apart.

``python -m bench.upload_profile [large|small ...] [--uploader ours|curl|sdk] [--out DIR]``
starts Local ModelArts in its own process, uploads the large files (4 x 128 MiB) or the small
ones (500 x 16 KiB) of P3's model folder a few times while ``py-spy record -f raw`` samples
the uploading process and Local ModelArts, then prints each side's CPU seconds (from the
kernel, for the whole upload) and the functions with the most samples, self and inclusive.
py-spy needs ptrace rights (root, or ``kernel.yama.ptrace_scope`` 0). Not part of
``python -m bench``: it takes no figures, it tells where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from obs import ObsClient

from jupyterlab_modelarts.cloud.obs import ObsTransfer

from .local_modelarts import LocalModelArtsProcess
from .upload import BUCKET, MIB, curl_config, make_model_folder, sdk_upload

PY_SPY = Path(sys.executable).parent / "py-spy"


def spy(pid: int, output: Path, rate: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw",
         "--nonblocking", "--threads", "--output", str(output)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def summary(raw: Path, top: int = 14) -> str:
    """Self and inclusive shares of the sampled (non-idle) stacks, per function."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame.split(" (")[0] + " (" + frame.split(" (")[1].split(":")[0] + ")"
                  if " (" in frame else frame for frame in stack.split(";")[1:]]  # fmt: skip
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    lines = [f"  {total} samples"]
    lines += [f"  self {100 * n / total:5.1f} %  {name}" for name, n in own.most_common(top)]
    lines += [f"  incl {100 * n / total:5.1f} %  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=["large", "small"])
    parser.add_argument("--uploader", choices=["ours", "curl", "sdk"], default="ours")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rate", type=int, default=250)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "p3-profile")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="p3-profile-"))
    try:
        large = make_model_folder(work / "large", small_files=0, small_size=0, large_files=4,
                                  total=512 * MIB)  # fmt: skip
        small = make_model_folder(work / "small", small_files=500, small_size=16 * 1024,
                                  large_files=1, total=500 * 16 * 1024 + 1)  # fmt: skip
        (work / "small" / "weights-0.bin").unlink()
        small = small[:-1]
        with LocalModelArtsProcess(work / "local") as local, asyncio.Runner() as loop:
            key = local.access_key
            sdk = ObsClient(access_key_id=key.access_key, secret_access_key=key.secret_key,
                            server=local.base_url, long_conn_mode=True)  # fmt: skip
            sdk.createBucket(BUCKET)
            transfer = ObsTransfer(key, endpoint=local.base_url, checkpoint_dir=work / "cp")
            for part in args.parts:
                folder, paths = (work / part), (large if part == "large" else small)
                size = sum(path.stat().st_size for path in paths)
                config = work / f"{part}.curl"
                config.write_text(curl_config(folder, paths, local, f"{part}/"))

                def upload(folder: Path = folder, paths: list[Path] = paths,
                           config: Path = config, part: str = part) -> None:  # fmt: skip
                    if args.uploader == "ours":
                        loop.run(transfer.upload_folder(folder, f"obs://{BUCKET}/{part}/",
                                                        skip_unchanged=False))  # fmt: skip
                    elif args.uploader == "curl":
                        subprocess.run(["curl", "--config", str(config)], check=True)
                    else:
                        for path in paths:  # one at a time: profiles per-file costs
                            sdk_upload(sdk, path, f"{part}/{path.relative_to(folder).as_posix()}")

                upload()  # warm up
                tag = f"{part}-{args.uploader}"
                spies = [spy(os.getpid(), args.out / f"{tag}-client.txt", args.rate),
                         spy(local.pid, args.out / f"{tag}-server.txt", args.rate)]  # fmt: skip
                time.sleep(1.0)
                me, server = psutil.Process(), psutil.Process(local.pid)
                cpu = [me.cpu_times(), server.cpu_times()]
                started = time.perf_counter()
                for _ in range(args.repeat):
                    upload()
                seconds = time.perf_counter() - started
                after = [me.cpu_times(), server.cpu_times()]
                for process in spies:
                    process.send_signal(signal.SIGINT)
                    process.wait(timeout=60)
                print(f"== {tag}: {args.repeat * size / seconds / 1e6:.0f} MB/s, "
                      f"{seconds:.2f} s for {args.repeat} x {size / MIB:.1f} MiB")  # fmt: skip
                for side, before, now in zip(("client", "server"), cpu, after, strict=True):
                    user = now.user + now.children_user - before.user - before.children_user
                    system = (now.system + now.children_system
                              - before.system - before.children_system)  # fmt: skip
                    print(f"-- {side}: CPU {user:.2f} s user + {system:.2f} s system "
                          f"({100 * (user + system) / seconds:.0f} % of one core)")  # fmt: skip
                    raw = args.out / f"{tag}-{side}.txt"
                    if raw.exists():
                        print(summary(raw))
            loop.run(transfer.aclose())
            sdk.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
