"""The committed front-end files are exactly the pinned ones (api/static/vendor/packages.txt),
each with its licence, so that serving the interface never needs npm or the network."""

from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "api" / "static" / "vendor"


def _pinned() -> list[tuple[str, str, list[str]]]:
    lines = (VENDOR / "packages.txt").read_text(encoding="utf-8").splitlines()
    rows = [line.split() for line in lines if line.strip() and not line.startswith("#")]
    return [(name, version, files) for name, version, *files in rows]


def test_every_pinned_package_is_committed_at_its_version_with_its_licence():
    pinned = _pinned()
    assert {name for name, _, _ in pinned} >= {"htmx.org", "echarts", "swagger-ui-dist"}
    for name, version, files in pinned:
        folder = VENDOR / name
        assert (folder / "VERSION").read_text(encoding="utf-8").split() == [name, version]
        assert (folder / "LICENSE").stat().st_size > 0, name
        for file in files:
            assert (folder / Path(file).name).stat().st_size > 0, (name, file)


def test_nothing_is_committed_that_is_not_pinned():
    pinned = {name for name, _, _ in _pinned()}
    present = {p.name for p in VENDOR.iterdir() if p.is_dir()}
    assert present == pinned
