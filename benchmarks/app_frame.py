"""How long one frame of the teaching app takes, on the server and in a real browser; the README's screenshot.

A frame is one simulated day: the model's step, the snapshot of what the page shows (chain picture,
timeline) and the three live plots drawn. Server side this times exactly that, for the nordost lessons.
With ``--browser`` it also starts ``vardkedja app`` and measures, in Debian's chromium, how long "one
day forward" takes from the click until the page shows the new day, and how many days a second the
app shows while playing. ``--screenshot PATH`` saves a screenshot of the app (the README's).

    uv run python benchmarks/app_frame.py --days 60 --browser --screenshot docs/figures/app.png
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def server_frames(days: int) -> list[float]:
    from teaching.app import Choices, ClassroomModel, initial_setup
    from teaching.live_plots import LivePlots

    model = ClassroomModel(Choices(initial_setup()))
    plots = LivePlots("sv")
    times = []
    for _ in range(days):
        t0 = time.perf_counter()
        model.step()
        snap = model.snapshot("sv")
        plots.svgs(snap["series"], snap["by_kind"], snap["weekdays"], snap["count_from"])
        times.append(time.perf_counter() - t0)
    return times


def browser_frames(steps: int, screenshot: Path | None) -> tuple[list[float], float]:
    sys.path.insert(0, str(ROOT / "tests" / "app"))
    from conftest import CHROMIUM_FLAGS, chromium_path, serve, stop
    from playwright.sync_api import sync_playwright

    proc, url = serve(lang="sv")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1020})
            page.goto(url)
            page.wait_for_selector("svg.chain-picture g.node", timeout=60_000)

            def day() -> int:
                return int(page.inner_text(".day-label").split(":")[0].split()[1])

            clicks = []
            for _ in range(steps):
                before = day()
                t0 = time.perf_counter()
                page.get_by_role("button", name="Step").click()
                page.wait_for_function(
                    "d => document.querySelector('.day-label').innerText.startsWith('Dag ' + d + ':')",
                    arg=before + 1,
                )
                clicks.append(time.perf_counter() - t0)
            start = day()
            page.get_by_role("button", name="▶").click()
            time.sleep(10)
            page.get_by_role("button", name="❚❚").click()
            time.sleep(1)
            per_second = (day() - start) / 10
            if screenshot is not None:
                page.mouse.move(1400, 900)
                page.screenshot(path=str(screenshot))
            browser.close()
    finally:
        stop(proc)
    return clicks, per_second


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=60, help="frames timed on the server")
    ap.add_argument("--browser", action="store_true", help="also time clicks and play in chromium")
    ap.add_argument("--steps", type=int, default=10, help="'one day forward' clicks timed in the browser")
    ap.add_argument("--screenshot", type=Path, help="save a screenshot of the app here (needs --browser)")
    args = ap.parse_args()
    times = server_frames(args.days)
    ms = sorted(t * 1000 for t in times)
    print(f"server frame (step + snapshot + 3 plots), {args.days} days of the first lesson:")
    p90 = ms[int(0.9 * len(ms))]
    print(f"  median {statistics.median(ms):.0f} ms, 90th percentile {p90:.0f} ms, max {ms[-1]:.0f} ms")
    if args.browser:
        clicks, per_second = browser_frames(args.steps, args.screenshot)
        cms = sorted(c * 1000 for c in clicks)
        print(f"browser, click 'one day forward' until the page shows the day ({args.steps} clicks):")
        print(f"  median {statistics.median(cms):.0f} ms, max {cms[-1]:.0f} ms")
        print(f"browser, playing (play interval 100 ms): {per_second:.1f} days shown per second")


if __name__ == "__main__":
    main()
