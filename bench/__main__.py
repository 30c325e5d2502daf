"""`python -m bench`: the benchmark on SQLite and PostgreSQL (see bench/README.md)."""

from __future__ import annotations

import argparse
import json
from dataclasses import fields
from pathlib import Path

from bench.harness import SMOKE, Settings, report, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--smoke", action="store_true",
                        help="a few seconds on a few hundred dossiers (what CI runs)")
    parser.add_argument("--workdir", default="bench/runs",
                        help="where the SQLite file, logs, profiles and results go")
    defaults = Settings()
    for f in fields(Settings):
        flag = "--" + f.name.replace("_", "-")
        if f.name in ("keep", "profile", "reads_only"):
            parser.add_argument(flag, dest=f.name, action="store_true")
        else:
            parser.add_argument(flag, dest=f.name, type=type(getattr(defaults, f.name)),
                                default=None, help=f"default {getattr(defaults, f.name)}")
    args = parser.parse_args()
    base = SMOKE if args.smoke else defaults
    given = {f.name: getattr(args, f.name) for f in fields(Settings)
             if getattr(args, f.name) not in (None, False)}
    settings = Settings(**{**base.__dict__, **given})
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for kind in kinds:
        result = run(kind, settings, Path(args.workdir))
        results.append(result)
        print(report(result), flush=True)
        print(flush=True)
    Path(args.workdir, "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
