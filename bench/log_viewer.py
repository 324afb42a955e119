"""P7-log-follow, the browser's part: the same Chromium and JupyterLab as P6, one finished
training job whose log is 100 MB (1,000,000 numbered lines of 100 bytes, written straight into
the job's log file in Local ModelArts' data dir); timed in the page from the click on the
version's Log button to the first animation frame in which the viewer shows log lines."""

from __future__ import annotations

from pathlib import Path

from jupyterlab_modelarts.emulator.app import STATE_FILE
from jupyterlab_modelarts.emulator.store import Store
from jupyterlab_modelarts.emulator.training import _log_path

from .options import Options
from .record import Goal, Record
from .sidebar_render import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    FIRST_RENDER_JS,
    ROW,
    Lab,
    chromium_missing,
    open_fresh_page,
    seed_finished_jobs,
)

ID = "P7-log-follow"
GOAL_MS = 300
PAD = "x" * 85

OPEN_LOG_JS = r"""
async ([lastLine]) => {
  const version = document.querySelector('#jp-modelarts-sidebar .jp-ModelArts-trainVersion');
  const button = [...version.querySelectorAll('button')]
    .find(b => b.textContent.trim() === 'Log');
  const start = performance.now();
  button.click();
  return await new Promise((resolve, reject) => {
    const limit = start + 120000;
    const check = () => {
      const text = document.querySelector('.jp-ModelArts-logViewer .jp-ModelArts-logText');
      const shown = text ? text.textContent.match(/line (\d{8})/g) : null;
      if (shown) {
        resolve([performance.now() - start, shown[0].slice(5), shown[shown.length - 1].slice(5),
                 text.textContent.includes(lastLine)]);
      } else if (performance.now() > limit) reject(new Error('no log line within 120 s'));
      else requestAnimationFrame(check);
    };
    check();
  });
}
"""


def write_big_log(data_dir: Path, lines: int) -> str:
    """Replace the seeded job's log with ``lines`` lines of 100 bytes; returns the last one."""
    store = Store(data_dir / STATE_FILE)
    try:
        (version,) = store.list("training_versions")
    finally:
        store.close()
    path = _log_path(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as log:
        for start in range(0, lines, 10_000):
            log.write("".join(f"line {i:08d} {PAD}\n" for i in range(start, start + 10_000)))
    return f"line {lines - 1:08d}"


def run(options: Options) -> list[Record]:
    from playwright.sync_api import sync_playwright

    lines = options.pick(1_000_000, 10_000)
    runs = options.pick(3, 1)
    metric = f"first screen of a {lines * 100 / 1e6:.0f} MB log in the log viewer (Chromium)"
    goal = Goal(f"at most {GOAL_MS} ms", "value", at_most=GOAL_MS)
    if missing := chromium_missing():
        return [Record.not_measurable(ID, metric, "ms", goal, missing)]
    folder = options.workdir / "p7-viewer"
    data_dir = folder / "modelarts-local"
    seed_finished_jobs(data_dir, 1)
    last_line = write_big_log(data_dir, lines)
    took: list[float] = []
    first_shown = last_shown = ""
    tail = False
    with Lab(folder, data_dir) as lab:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                for _ in range(runs):
                    context, page = open_fresh_page(browser, lab)
                    page.evaluate(FIRST_RENDER_JS, ROW)
                    page.locator(f"{ROW} .jp-ModelArts-trainToggle").first.click()
                    page.locator(".jp-ModelArts-trainVersion").first.wait_for(timeout=30_000)
                    ms, first_shown, last_shown, tail = page.evaluate(OPEN_LOG_JS, [last_line])
                    took.append(float(ms))
                    context.close()
            finally:
                browser.close()
    return [
        Record.measured(
            ID,
            metric,
            took,
            "ms",
            goal=goal,
            notes=f"{lines} lines of 100 bytes; timed in the page from the click on the version's"
            " Log button to the first animation frame in which the viewer shows log lines"
            f" (there: lines {first_shown} to {last_shown}; the log's last line"
            f" {'shown' if tail else 'not shown'}); a fresh page per run, the first of them the"
            " log's first read",
        )
    ]
