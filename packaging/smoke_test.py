"""Smoke-test the self-contained folder ``dist/sthc-desktop/`` as a user with no Python would run it.

``python3 packaging/smoke_test.py [BUNDLE]`` copies the bundle to a temporary folder made read-only,
runs it with a fresh home folder and a PATH holding no Python, headless (its own Xvfb display, or
Qt's offscreen platform without one), and:

- starts the bundled app and times it until its window is on the display;
- exports a briefing map and a locality pack through the bundled commands and checks the files
  (PDF header and end, page count, the locality named in the text where pdftotext is installed);
- checks nothing was written inside the program folder;
- prints the bundle's size and cold-start times beside the source checkout's, measured in this run.

Exit status 0 when every check passes.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "sthc-desktop"
WINDOW_TITLE = "St Helens Cares Locality Planner"
WINDOW_TIMEOUT = 120


def folder_size(folder: Path) -> int:
    """Bytes in ``folder``, each file once (links not followed)."""
    return sum(os.lstat(Path(d) / f).st_size for d, _, names in os.walk(folder) for f in names)


def installed_size(name: str, seen: set[str] | None = None) -> int:
    """Bytes of an installed distribution and everything it requires (extras left out)."""
    seen = set() if seen is None else seen
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return 0
    seen.add(key)
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return 0
    size = sum(f.size or 0 for f in dist.files or ())
    for req in dist.requires or ():
        if "extra ==" not in req:
            size += installed_size(re.match(r"[A-Za-z0-9_.-]+", req).group(0), seen)
    return size


def pdf_pages(path: Path) -> int:
    """Pages of a PDF as matplotlib writes it (no object streams), after checking it is a whole PDF."""
    data = path.read_bytes()
    if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]):
        raise AssertionError(f"{path.name} is not a complete PDF")
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def read_only_copy(bundle: Path, where: Path) -> Path:
    copy = where / "program" / bundle.name
    shutil.copytree(bundle, copy, symlinks=True)
    for d, dirs, names in os.walk(copy):
        for name in [*dirs, *names]:
            p = Path(d) / name
            if not p.is_symlink():
                p.chmod(stat.S_IMODE(p.stat().st_mode) & ~0o222)
    copy.chmod(0o555)
    copy.parent.chmod(0o555)
    return copy


def snapshot(folder: Path) -> dict:
    return {str(Path(d, f).relative_to(folder)): os.lstat(Path(d, f)).st_mtime_ns
            for d, dirs, names in os.walk(folder) for f in [*dirs, *names]}


def user_env(where: Path, name: str, path: str, display: str | None) -> dict:
    """A fresh user: an empty home and per-user folders, only ``path`` on PATH, no Python settings."""
    home = where / f"home-{name}"
    home.mkdir()
    env = {"HOME": str(home), "PATH": path, "LANG": "C.UTF-8", "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_RUNTIME_DIR": str(home)}
    home.chmod(0o700)
    if display:
        env["DISPLAY"] = display
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def start_display() -> tuple[subprocess.Popen | None, str | None]:
    """An Xvfb display of our own, or (None, None) when Xvfb or xwininfo is not installed."""
    if not (shutil.which("Xvfb") and shutil.which("xwininfo")):
        return None, None
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    return server, f":{number}"


def time_to_window(command: list[str], env: dict, cwd: Path, display: str) -> float:
    """Seconds from launch until the main window is mapped on ``display``; the app is then closed."""
    started = time.perf_counter()
    app = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - started < WINDOW_TIMEOUT:
            tree = subprocess.run(["xwininfo", "-root", "-tree"], env={**os.environ, "DISPLAY": display},
                                  capture_output=True, text=True).stdout
            if WINDOW_TITLE in tree:
                return time.perf_counter() - started
            if app.poll() is not None:
                raise AssertionError(f"the app ended (status {app.returncode}): {app.stderr.read().decode()[-500:]}")
            time.sleep(0.05)
        raise AssertionError(f"no window within {WINDOW_TIMEOUT} s")
    finally:
        app.terminate()
        app.wait(timeout=30)


def timed(command: list[str], env: dict, cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode:
        raise AssertionError(f"{' '.join(command[-4:])} failed ({done.returncode}): {done.stderr[-800:]}")
    return time.perf_counter() - started, done


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]).resolve() if argv else BUNDLE
    if not (bundle / "sthc-desktop").is_file():
        print(f"error: no bundle at {bundle} (build it with `python3 packaging/build_bundle.py`)", file=sys.stderr)
        return 2
    server, display = start_display()
    with tempfile.TemporaryDirectory(prefix="sthc-smoke-") as tmp:
        where = Path(tmp)
        try:
            return run(bundle, where, display)
        finally:
            for d, dirs, _ in os.walk(where):  # let the temporary folder be removed
                for name in dirs:
                    if not (Path(d) / name).is_symlink():
                        (Path(d) / name).chmod(0o755)
            where.chmod(0o755)
            if server is not None:
                server.terminate()
                server.wait()


def run(bundle: Path, where: Path, display: str | None) -> int:
    program = read_only_copy(bundle, where)
    before = snapshot(program)
    no_python = where / "bin"  # PATH holds only this empty folder: no Python, no other tools
    no_python.mkdir()
    assert shutil.which("python3", path=str(no_python)) is None and shutil.which("python", path=str(no_python)) is None
    out = where / "out"
    out.mkdir()
    cli, gui = program / "sthc-desktop", program / "sthc-desktop-gui"

    bundled_env = user_env(where, "bundle", str(no_python), display)
    source_env = user_env(where, "source", str(Path(sys.executable).parent), display)
    source = [sys.executable, str(ROOT / "main.py")]

    times = {}
    if display:
        times["window"] = (time_to_window([str(gui)], bundled_env, out, display),
                           time_to_window(source, source_env, out, display))
    times["indicators"] = (timed([str(cli), "indicators"], bundled_env, out)[0],
                           timed([*source, "indicators"], source_env, out)[0])

    map_pdf, pack_pdf = out / "north.pdf", out / "pack.pdf"
    exports = {"export map": (["export", "map", "--indicator", "iod19_imd_decile", "--locality", "North"], map_pdf),
               "export pack": (["export", "pack", "--localities", "Central", "North"], pack_pdf)}
    for label, (args, pdf) in exports.items():
        times[label] = (timed([str(cli), *args, "--out", str(pdf)], bundled_env, out)[0],
                        timed([*source, *args, "--out", str(out / f"source-{pdf.name}")], source_env, out)[0])
    assert pdf_pages(map_pdf) == 1, "the briefing map is one page"
    pages = pdf_pages(pack_pdf)
    assert pages >= 5, f"the pack has {pages} pages (cover, overview, two localities, notes at least)"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(map_pdf), "-"], capture_output=True, text=True).stdout
        assert "North" in text, "the briefing map names its locality"
        text = subprocess.run(["pdftotext", str(pack_pdf), "-"], capture_output=True, text=True).stdout
        assert "Central" in text and "North" in text, "the pack names its localities"
    assert snapshot(program) == before, "the bundle wrote inside its own folder"
    written = sorted(str(p.relative_to(where)) for p in (where / "home-bundle").rglob("*") if p.is_file())

    checkout = sum(folder_size(ROOT / d) for d in ("sthc_desktop", "geodata")) + (ROOT / "main.py").stat().st_size
    deps = installed_size("sthc-desktop") or sum(installed_size(n) for n in ("PySide6-Essentials", "geopandas",
                                                                             "matplotlib", "scipy", "mapclassify",
                                                                             "openpyxl"))
    print(f"bundle:  {bundle}  ({folder_size(bundle) / 1e6:.0f} MB; ran read-only from {program.parent}, "
          f"PATH without Python, {'Xvfb ' + display if display else 'offscreen'})")
    print(f"source checkout: code + pack {checkout / 1e6:.1f} MB, plus {deps / 1e6:.0f} MB of installed Python "
          f"packages and the Python interpreter")
    print(f"exports: {map_pdf.name} 1 page, {pack_pdf.name} {pages} pages (PDF checked)")
    print(f"the bundle wrote only to the user's folders: {', '.join(written) or 'nothing'}")
    print(f"{'seconds (one cold run)':<22}{'bundle':>8}{'source':>8}")
    for label, (bundled, from_source) in times.items():
        name = "start to window" if label == "window" else label
        print(f"{name:<22}{bundled:>8.2f}{from_source:>8.2f}")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
