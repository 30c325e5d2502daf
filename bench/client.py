"""The load client where wrk is not installed: the same cycle as `transitions.lua`.

One process, one asyncio task per connection over raw keep-alive sockets (no HTTP library
in the way), so that the client costs the 2-core machine as little as Python allows. Each
connection owns the dossiers whose (id - first) % connections equals its index.

    python -m bench.client URL FIRST LAST BRANCH_TOKEN COMMITTEE_TOKEN DAY STEPS_FILE \
        --connections 16 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit


def requests_for(host: str, ids: list[int], branch: str, committee: str,
                 day: str) -> list[list[bytes]]:
    """Per dossier, its three requests in order, encoded once."""

    def encode(path: str, token: str, body: dict) -> bytes:
        payload = json.dumps(body).encode()
        return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
                ).encode() + payload

    cycle = []
    for i in ids:
        base = f"/api/v1/applicants/{i}"
        cycle.append([
            encode(base + "/transitions", branch,
                   {"trigger": "designate_candidate", "effective_date": day}),
            encode(base + "/transitions", branch,
                   {"trigger": "return_to_activist", "effective_date": day,
                    "reason": "继续培养"}),
            encode(base + "/records", committee,
                   {"type": "filing", "date": day, "stage": "candidate"}),
        ])
    return cycle


async def _connection(host: str, port: int, cycle: list[list[bytes]], offsets: list[int],
                      until: float, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    turn = 0
    while time.perf_counter() < until:
        which = turn % len(cycle)
        request = cycle[which][(turn // len(cycle) + offsets[which]) % 3]
        turn += 1
        started = time.perf_counter()
        writer.write(request)
        status_line = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if not status_line.split()[1].startswith(b"2"):
            errors[0] += 1
    writer.close()


async def run(url: str, first: int, last: int, branch: str, committee: str, day: str,
              steps: str, *,
              connections: int, duration: float) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    latencies: list[float] = []
    errors = [0]
    until = time.perf_counter() + duration
    started = time.perf_counter()
    with open(steps, encoding="utf-8") as lines:
        start = {int(i): int(step) for i, step in (line.split() for line in lines if line)}
    tasks = []
    for c in range(connections):
        ids = list(range(first + c, last + 1, connections))
        cycle = requests_for(f"{host}:{port}", ids, branch, committee, day)
        offsets = [start.get(i, 0) for i in ids]
        tasks.append(_connection(host, port, cycle, offsets, until, latencies, errors))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> int:
        return int(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1e6)

    return {"requests": len(latencies), "duration_us": int(elapsed * 1e6), "connect": 0,
            "read": 0, "write": 0, "status": errors[0], "timeout": 0,
            "p50_us": pct(50), "p90_us": pct(90), "p99_us": pct(99)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("first", type=int)
    parser.add_argument("last", type=int)
    parser.add_argument("branch_token")
    parser.add_argument("committee_token")
    parser.add_argument("day")
    parser.add_argument("steps", help="file of 'id step' lines: where each cycle resumes")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    result = asyncio.run(run(args.url, args.first, args.last, args.branch_token,
                             args.committee_token, args.day, args.steps,
                             connections=args.connections, duration=args.duration))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
