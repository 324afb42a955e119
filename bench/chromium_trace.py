"""A Chromium performance trace of P6-sidebar-render, and where its time goes.

``python -m bench.chromium_trace [--runs N] [--jobs N] [--out DIR] [--from-load]`` seeds the
jobs, starts JupyterLab as P6 does, and for each fresh page records a Chromium trace
(``Browser.start_tracing``: the DevTools timeline categories plus V8's sampling CPU profiler)
around P6's measurement, from ``modelarts:open-sidebar`` to the frame with the first job row.
Then, for the renderer's main thread between the page's ``p6:open`` and ``p6:first-row``
user-timing marks, it prints:

* self time by trace event (``Layout``, ``UpdateLayoutTree``, ``FunctionCall``, ``v8.gc``...)
  grouped into categories (scripting, style, layout, paint, gc, other) and idle;
* self time by JavaScript function from the CPU profile samples, and by bundle (React DOM,
  this extension, JupyterLab/Lumino...), so a React render/commit shows as such;
* the network requests of the window (``ResourceSendRequest`` .. ``ResourceFinish``), e.g. the
  panel's ``GET training/jobs``, and whether the window waited on one.

``analyse(events)`` works on any trace JSON (``{"traceEvents": [...]}``), e.g. one saved from
the DevTools Performance panel: ``python -m bench.chromium_trace --analyse trace.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.frame",
    "blink.user_timing",
    "v8.execute",
    "v8",
    "disabled-by-default-v8.cpu_profiler",
    "loading",
    "netlog",
]
START_MARK = "p6:open"
END_MARK = "p6:first-row"

# Trace event name -> category of the DevTools summary.
KINDS = {
    "scripting": {
        "FunctionCall", "EvaluateScript", "v8.compile", "v8.compileModule", "V8.Execute",
        "EventDispatch", "TimerFire", "FireAnimationFrame", "FireIdleCallback", "RunMicrotasks",
        "v8.run", "XHRReadyStateChange", "XHRLoad", "v8.callFunction", "v8.evaluateModule",
        "RunTask", "ParseScriptOnBackground", "v8.parseOnBackground", "CompileScript",
        "CompileCode", "CompileModule", "ProfileCall",
    },
    "style": {"UpdateLayoutTree", "RecalculateStyles", "ScheduleStyleRecalculation",
              "ParseAuthorStyleSheet", "InvalidateLayout"},
    "layout": {"Layout", "UpdateLayerTree", "Layerize"},
    "paint": {"Paint", "PrePaint", "PaintImage", "CompositeLayers", "Commit", "UpdateLayer",
              "RasterTask", "Decode Image"},
    "gc": {"MinorGC", "MajorGC", "V8.GCScavenger", "V8.GCFinalizeMC", "V8.GCIncrementalMarking",
           "BlinkGC.AtomicPhase", "ThreadState::performIdleLazySweep", "v8.gc",
           "V8.GCCompactor", "V8.GC_MC_BACKGROUND_MARKING", "CppGC.AtomicMark"},
    "parse": {"ParseHTML"},
}  # fmt: skip
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}


def kind_of(name: str) -> str:
    """The summary category of a trace event's name."""
    if name in KIND_OF:
        return KIND_OF[name]
    if name.startswith(("V8.GC", "BlinkGC", "CppGC")) or "GC" in name or "marking" in name:
        return "gc"
    return "other"


# Script URL fragment -> bundle, first match wins (JupyterLab's dev build names chunks by path).
BUNDLES = [
    ("react-dom", "React DOM (render/commit)"),
    ("scheduler", "React DOM (render/commit)"),
    ("jupyterlab_modelarts", "this extension"),
    ("jupyterlab-modelarts", "this extension"),
    ("lib_index_js", "this extension"),
    ("@lumino", "Lumino"),
    ("lumino", "Lumino"),
    ("@jupyterlab", "JupyterLab"),
    ("jupyterlab", "JupyterLab"),
    ("react", "React"),
]


@dataclass
class Window:
    """What the renderer's main thread did between two timestamps (trace microseconds)."""

    start: float
    end: float
    by_event: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_kind: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_function: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_bundle: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: Requests to the extension: (url, sent, response headers, finished), ms from the start.
    requests: list[tuple[str, float, float | None, float | None]] = field(default_factory=list)
    sample_ms: float = 0.0
    #: Style recalculations and layouts: (ms, elements styled or objects laid out, root).
    style_layout: list[tuple[str, float, int, str]] = field(default_factory=list)
    #: The longest tasks of the window: (start ms, duration ms, its heaviest children).
    tasks: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def total_ms(self) -> float:
        return (self.end - self.start) / 1000

    def report(self, top: int = 15) -> str:
        busy = sum(self.by_kind.values())
        lines = [
            f"window {self.total_ms:.1f} ms: main thread busy {busy:.1f} ms,"
            f" idle {self.total_ms - busy:.1f} ms"
        ]
        lines.append("  by category (self time, ms): " + ", ".join(
            f"{kind} {ms:.1f}" for kind, ms in sorted(self.by_kind.items(), key=lambda i: -i[1])
        ))  # fmt: skip
        lines.append("  by trace event (self time, ms):")
        for name, ms in sorted(self.by_event.items(), key=lambda i: -i[1])[:top]:
            lines.append(f"    {ms:8.1f}  {name} [{kind_of(name)}]")
        if self.sample_ms:
            lines.append(f"  JavaScript by bundle (CPU profile samples, {self.sample_ms:.1f} ms):")
            for name, ms in sorted(self.by_bundle.items(), key=lambda i: -i[1]):
                lines.append(f"    {ms:8.1f}  {name}")
            lines.append("  JavaScript by function (self time, ms):")
            for name, ms in sorted(self.by_function.items(), key=lambda i: -i[1])[:top]:
                lines.append(f"    {ms:8.1f}  {name}")
        if self.tasks:
            lines.append("  longest tasks (start, duration, heaviest events inside):")
            for at, ms, inside in sorted(self.tasks, key=lambda t: -t[1])[:5]:
                lines.append(f"    at {at:7.1f} ms  {ms:6.1f} ms  {inside}")
        for name, ms, count, root in sorted(self.style_layout, key=lambda i: -i[1])[:4]:
            what = "elements" if name == "UpdateLayoutTree" else "objects"
            lines.append(f"  {name} {ms:.1f} ms: {count} {what}{', root ' + root if root else ''}")
        for url, sent, answered, finished in self.requests:
            path = url.split("?")[0].split("/api/v1/")[-1]
            lines.append(
                f"  request {path}: sent {_ms(sent)}, headers {_ms(answered)},"
                f" finished {_ms(finished)} ms (from the window's start)"
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "window_ms": self.total_ms,
            "by_kind": dict(self.by_kind),
            "by_event": dict(self.by_event),
            "by_bundle": dict(self.by_bundle),
            "by_function": dict(sorted(self.by_function.items(), key=lambda i: -i[1])[:40]),
            "requests": self.requests,
            "style_layout": self.style_layout,
            "tasks": self.tasks,
        }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int]:
    """(pid, tid) of the renderer main thread that holds the user-timing marks."""
    names = {
        (e["pid"], e["tid"]): e["args"]["name"]
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name"
    }
    for e in events:
        if e.get("name") == START_MARK and (e["pid"], e["tid"]) in names:
            if names[(e["pid"], e["tid"])] == "CrRendererMain":
                return e["pid"], e["tid"]
    for e in events:
        if e.get("name") == START_MARK:
            pid = e["pid"]
            for (p, t), name in names.items():
                if p == pid and name == "CrRendererMain":
                    return p, t
    raise ValueError(f"no {START_MARK!r} mark in the trace")


def _mark(events: list[dict[str, Any]], name: str) -> float:
    marks = ("R", "I", "n", "b", "i")
    found = [e["ts"] for e in events if e.get("name") == name and e.get("ph") in marks]
    if not found:
        found = [e["ts"] for e in events if e.get("name") == name]
    if not found:
        raise ValueError(f"no {name!r} mark in the trace")
    return float(found[-1])


def _spans(events: Iterable[dict[str, Any]]) -> list[tuple[float, float, str]]:
    """Complete spans (start, end, name) of one thread from X events and B/E pairs."""
    spans: list[tuple[float, float, str]] = []
    open_: list[tuple[float, str]] = []
    for e in sorted(events, key=lambda e: e["ts"]):
        ph = e.get("ph")
        if ph == "X" and "dur" in e:
            spans.append((e["ts"], e["ts"] + e["dur"], e["name"]))
        elif ph == "B":
            open_.append((e["ts"], e["name"]))
        elif ph == "E" and open_:
            ts, name = open_.pop()
            spans.append((ts, e["ts"], name))
    return spans


def _self_times(
    spans: list[tuple[float, float, str]], start: float, end: float
) -> dict[str, float]:
    """Self time (ms) per event name inside [start, end]: nested spans subtract from their
    parents; a task's own remainder (``RunTask``) counts as ``(task, other)``."""
    clipped = [
        (max(s, start), min(e, end), name)
        for s, e, name in spans
        if e > start and s < end and e > s
    ]
    # Longer first for equal starts, so parents precede their children.
    clipped.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    result: dict[str, float] = defaultdict(float)
    stack: list[list[Any]] = []  # [start, end, name, children_time]

    def close(item: list[Any]) -> None:
        s, e, name, children = item
        if name != "RunTask":  # the task wrapper: its self time is scheduler overhead
            result[name] += max(0.0, (e - s) - children) / 1000
        else:
            result["(task, other)"] += max(0.0, (e - s) - children) / 1000

    for s, e, name in clipped:
        while stack and stack[-1][1] <= s:
            close(stack.pop())
        if stack:
            e = min(e, stack[-1][1])
            stack[-1][3] += e - s
        stack.append([s, e, name, 0.0])
    while stack:
        close(stack.pop())
    return result


def _bundle(url: str) -> str:
    if not url:
        return "(native/program)"
    for fragment, bundle in BUNDLES:
        if fragment in url:
            return bundle
    return url.rsplit("/", 1)[-1][:50] or url


_PSEUDO = ("(idle)", "(program)", "(garbage collector)", "(root)")


def _caller(
    nodes: dict[tuple[str, int], dict[str, Any]], profile: str, node: dict[str, Any]
) -> dict[str, Any] | None:
    """The nearest ancestor of ``node`` with a script URL (nodes name their parent)."""
    parent = node.get("parent")
    while parent is not None:
        found = nodes.get((profile, parent))
        if found is None:
            return None
        if found["callFrame"].get("url"):
            return found
        parent = found.get("parent")
    return None


def _profile_samples(
    events: list[dict[str, Any]], pid: int, tid: int, start: float, end: float
) -> tuple[dict[str, float], dict[str, float], float]:
    """Self time by function and by bundle from the V8 CPU profile chunks of the thread."""
    nodes: dict[tuple[str, int], dict[str, Any]] = {}
    by_function: dict[str, float] = defaultdict(float)
    by_bundle: dict[str, float] = defaultdict(float)
    total = 0.0
    # Profile and ProfileChunk events share an id; the chunks carry nodes, samples, deltas.
    profiles: dict[str, float] = {}
    for e in events:
        if e.get("name") == "Profile" and e.get("pid") == pid:
            profiles[e.get("id", "")] = float(e["args"]["data"]["startTime"])
    chunks = sorted(
        (e for e in events if e.get("name") == "ProfileChunk" and e.get("pid") == pid),
        key=lambda e: e["ts"],
    )
    clock: dict[str, float] = dict(profiles)
    for chunk in chunks:
        pid_id = chunk.get("id", "")
        if pid_id not in clock:
            continue
        data = chunk["args"]["data"]
        profile = data.get("cpuProfile", {})
        for node in profile.get("nodes", []):
            nodes[(pid_id, node["id"])] = node
        samples = profile.get("samples", [])
        deltas = data.get("timeDeltas", [])
        t = clock[pid_id]
        for node_id, delta in zip(samples, deltas, strict=False):
            previous = t
            t += delta
            if not (start <= t <= end):
                continue
            node = nodes.get((pid_id, node_id))
            if node is None:
                continue
            frame = node["callFrame"]
            name = frame.get("functionName") or "(anonymous)"
            url = frame.get("url", "")
            if not url and name not in _PSEUDO:
                # A native (getBoundingClientRect, setAttribute...): name its JS caller too.
                parent = _caller(nodes, pid_id, node)
                if parent is not None:
                    caller = parent["callFrame"]
                    url = caller.get("url", "")
                    name = f"{name} <- {caller.get('functionName') or '(anonymous)'}"
                    frame = caller
            ms = max(0.0, t - previous) / 1000
            if name in _PSEUDO:
                if name != "(idle)":
                    by_function[name] += ms
                continue
            by_function[f"{name} ({_bundle(url)}:{frame.get('lineNumber', -1) + 1})"] += ms
            by_bundle[_bundle(url)] += ms
            total += ms
        clock[pid_id] = t
    return by_function, by_bundle, total


def analyse(events: list[dict[str, Any]], start_mark: str = START_MARK,
            end_mark: str = END_MARK) -> Window:  # fmt: skip
    pid, tid = _main_thread(events)
    start, end = _mark(events, start_mark), _mark(events, end_mark)
    window = Window(start, end)
    thread = [e for e in events if e.get("pid") == pid and e.get("tid") == tid]
    for name, ms in _self_times(_spans(thread), start, end).items():
        window.by_event[name] += ms
        kind = kind_of(name)
        window.by_kind[kind] += ms
    for e in thread:
        if e.get("ph") != "X" or e.get("name") not in ("Layout", "UpdateLayoutTree"):
            continue
        if not (start <= e["ts"] < end):
            continue
        args = e.get("args") or {}
        if e["name"] == "Layout":
            count = int((args.get("beginData") or {}).get("dirtyObjects", 0))
            roots = (args.get("endData") or {}).get("layoutRoots") or [{}]
            root = str(roots[0].get("nodeName", ""))[:70]
        else:
            count, root = int(args.get("elementCount", 0)), ""
        window.style_layout.append((e["name"], e.get("dur", 0) / 1000, count, root))
    for t0, t1, name in _spans(thread):
        if name == "RunTask" and t1 > start and t0 < end and t1 - t0 > 5000:
            inside = _self_times(_spans(x for x in thread if t0 <= x["ts"] <= t1), t0, t1)
            heavy = sorted(inside.items(), key=lambda i: -i[1])[:3]
            window.tasks.append(
                (
                    (t0 - start) / 1000,
                    (t1 - t0) / 1000,
                    ", ".join(f"{n} {ms:.1f}" for n, ms in heavy),
                )
            )
    functions, bundles, total = _profile_samples(events, pid, tid, start, end)
    window.by_function.update(functions)
    window.by_bundle.update(bundles)
    window.sample_ms = total
    sent: dict[str, tuple[str, float]] = {}
    finished: dict[str, float] = {}
    answered: dict[str, float] = {}
    for e in events:
        data = (e.get("args") or {}).get("data") or {}
        if e.get("name") == "ResourceSendRequest" and "requestId" in data:
            sent[data["requestId"]] = (data.get("url", ""), float(e["ts"]))
        elif e.get("name") == "ResourceReceiveResponse" and "requestId" in data:
            answered[data["requestId"]] = float(e["ts"])
        elif e.get("name") == "ResourceFinish" and "requestId" in data:
            finished[data["requestId"]] = float(e["ts"])
    for request_id, (url, ts) in sorted(sent.items(), key=lambda i: i[1][1]):
        done = finished.get(request_id)
        if "/modelarts/" not in url:
            continue
        if (done or end) < start - 2_000_000 or ts > end:
            continue
        headers = answered.get(request_id)
        window.requests.append(
            (
                url,
                (ts - start) / 1000,
                None if headers is None else (headers - start) / 1000,
                None if done is None else (done - start) / 1000,
            )
        )
    return window


# The measurement of sidebar_render.FIRST_RENDER_JS, bracketed by user-timing marks.
def _marked(script: str) -> str:
    script = script.replace(
        "const start = performance.now();",
        f"performance.mark('{START_MARK}'); const start = performance.now();",
        1,
    )
    return script.replace(
        "const at = performance.now();",
        f"const at = performance.now(); performance.mark('{END_MARK}');",
        1,
    )


def trace(runs: int, jobs: int, out: Path, from_load: bool) -> list[Window]:
    from playwright.sync_api import sync_playwright

    from .sidebar_render import (
        CHROMIUM,
        CHROMIUM_FLAGS,
        FIRST_RENDER_JS,
        ROW,
        Lab,
        seed_finished_jobs,
    )

    script = _marked(FIRST_RENDER_JS)
    assert START_MARK in script and END_MARK in script
    windows: list[Window] = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="modelarts-trace-") as scratch:
        folder = Path(scratch)
        data_dir = folder / "modelarts-local"
        seed_finished_jobs(data_dir, jobs)
        with Lab(folder, data_dir) as lab, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                for index in range(runs):
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    path = out / f"p6-trace-{index}.json"
                    if from_load:
                        browser.start_tracing(page=page, categories=CATEGORIES, path=path)
                    page.goto(f"{lab.url}lab/workspaces/{uuid.uuid4().hex}?token={lab.token}")
                    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=90_000)
                    page.locator(".jp-LabShell").wait_for(timeout=30_000)
                    if not from_load:
                        browser.start_tracing(page=page, categories=CATEGORIES, path=path)
                    shown = page.evaluate(script, ROW)
                    page.wait_for_timeout(200)
                    browser.stop_tracing()
                    context.close()
                    window = analyse(json.loads(path.read_text())["traceEvents"])
                    print(f"run {index}: first row after {shown[0]:.1f} ms (page clock); {path}")
                    print(window.report())
                    windows.append(window)
            finally:
                browser.close()
    return windows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chromium_trace", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="fresh pages traced")
    parser.add_argument("--jobs", type=int, default=1000, help="training jobs seeded")
    parser.add_argument("--out", type=Path, default=Path("bench/results"), help="trace folder")
    parser.add_argument("--from-load", action="store_true", help="trace the page load too")
    parser.add_argument("--analyse", type=Path, help="only analyse this trace file")
    args = parser.parse_args(argv)
    if args.analyse:
        data = json.loads(args.analyse.read_text())
        events = data["traceEvents"] if isinstance(data, dict) else data
        print(analyse(events).report())
        return 0
    trace(args.runs, args.jobs, args.out, args.from_load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
