"""Local ModelArts' v2 metrics come from the job's real processes: a busy process shows CPU
use, memory it holds shows as a share of the flavor's memory, a gone process adds nothing."""

from __future__ import annotations

import subprocess
import sys
import time

from jupyterlab_modelarts.emulator.runtime.usage import UsageSampler

BUSY = "held = b'x' * (200 * 1024 * 1024)\nwhile True:\n    sum(range(10000))\n"
DEADLINE = 60.0


def test_a_busy_process_is_sampled_as_cpu_and_memory_use_per_minute():
    clock = [0.0]
    process = subprocess.Popen([sys.executable, "-c", BUSY])
    try:
        sampler = UsageSampler([process.pid], cores=2, memory_bytes=1024**3, clock=lambda: clock[0])
        end = time.monotonic() + DEADLINE
        while True:
            sampler.sample()
            usage = sampler.series()[0]
            if usage["cpuUsage"] and usage["cpuUsage"][-1] > 0 and usage["memUsage"][-1] > 15:
                break
            assert time.monotonic() < end, f"never sampled as busy: {usage}"
            time.sleep(0.2)
        assert len(usage["cpuUsage"]) == 1 and usage["cpuUsage"][0] <= 100
        assert usage["memUsage"][0] <= 100

        clock[0] = 61.0  # the next minute gets its own average
        sampler.sample()
        assert len(sampler.series()[0]["memUsage"]) == 2
    finally:
        process.kill()
        process.wait()
    clock[0] = 130.0
    sampler.sample()
    assert len(sampler.series()[0]["memUsage"]) == 2
