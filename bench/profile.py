"""Where a transition's time goes, in one process: the load's requests through the Flask app
(no server, no network), under pyinstrument (the `bench` extra).

    python -m bench.profile --database sqlite --requests 600
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from api.app import create_app
from bench.generate import generate
from bench.harness import environment, fresh_database
from workflow.store.database import make_engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    args = parser.parse_args()
    from pyinstrument import Profiler

    with tempfile.TemporaryDirectory() as tmp, \
            fresh_database(args.database, Path(tmp)) as url:
        engine = make_engine(url)
        manifest = generate(engine, environment(), dossiers_count=1000, pool_size=args.pool,
                            log=lambda _: None)
        engine.dispose()
        app = create_app({"DATABASE_URL": url}, instance_path=str(Path(tmp) / "instance"))
        client = app.test_client()
        branch = {"Authorization": f"Bearer {manifest.tokens['branch']}"}
        committee = {"Authorization": f"Bearer {manifest.tokens['committee']}"}
        day = manifest.today
        cycle = [
            ("transitions", branch, {"trigger": "designate_candidate", "effective_date": day}),
            ("transitions", branch, {"trigger": "return_to_activist", "effective_date": day,
                                     "reason": "继续培养"}),
            ("records", committee, {"type": "filing", "date": day, "stage": "candidate"}),
        ]
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for n in range(args.requests):
                dossier_id = 1 + n % args.pool
                kind, headers, body = cycle[(n // args.pool) % 3]
                response = client.post(f"/api/v1/applicants/{dossier_id}/{kind}", json=body,
                                       headers=headers)
                assert response.status_code in (200, 201), response.json
        elapsed = time.perf_counter() - started
        app.extensions["recruitflow"].engine.dispose()
    print(f"{args.requests} requests in {elapsed:.2f} s: "
          f"{1000 * elapsed / args.requests:.2f} ms each (profiler overhead included)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
