"""The app stays offline: the main commands run in a fresh interpreter where opening any socket
or resolving any name raises, and each still succeeds (so none of them reaches the network)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT, write_csv

NO_NETWORK = textwrap.dedent("""
    import socket, sys

    def refuse(*args, **kwargs):
        raise OSError("network use attempted")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse()

    socket.socket = NoSocket
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = socket.socketpair = refuse

    from sthc_desktop.cli import main
    out = sys.argv[1]
    commands = [
        ["indicators", "--json"],
        ["compare", "--indicators", "Deprivation", "--out", f"{out}/compare.csv", "--inequality", f"{out}/gaps.csv"],
        ["export", "map", "--indicator", "iod19_imd_decile", "--locality", "North", "--format", "png", "--dpi", "72",
         "--out", f"{out}/north.png"],
        ["export", "pack", "--localities", "North", "--indicators", "iod19_imd_score", "--out", f"{out}/pack.pdf"],
        ["import-check", sys.argv[2]],
        ["districts", "--out", f"{out}/districts.csv"],
    ]
    for command in commands:
        code = main(command)
        print(command[0], code, flush=True)
        if code:
            sys.exit(f"{command} exited {code}")
    try:  # the guard itself works: any connection attempt fails
        __import__("urllib.request").request.urlopen("http://example.invalid/")
    except OSError as exc:
        print("blocked:", exc)
""")


def test_main_commands_run_with_networking_removed(tmp_path, pack):
    lsoas = sorted(pack.layer("lsoa21")["code"])
    data = write_csv(tmp_path / "synthetic_offline.csv", ["LSOA code", "Value"], [(c, i) for i, c in enumerate(lsoas)])
    result = subprocess.run([sys.executable, "-c", NO_NETWORK, str(tmp_path), str(data)], capture_output=True,
                            text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "network use attempted" not in result.stderr
    assert "blocked: <urlopen error network use attempted>" in result.stdout
    for name in ("compare.csv", "gaps.csv", "north.png", "pack.pdf", "districts.csv"):
        assert (tmp_path / name).stat().st_size > 0
