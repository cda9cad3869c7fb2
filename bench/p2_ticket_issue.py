"""P2: ticket issue (join the queue) throughput over HTTP, against a minimal one-insert view.

Both endpoints run in the production HTTP server (gunicorn, `config.wsgi`-style WSGI app with
the product's middleware; docs/operations.md: 4 sync workers) with the bench settings
(`bench/benchsite`: the product's settings and URLs plus two bench endpoints):

- baseline `/bench/insert/`: one `Model.objects.create()`;
- `/bench/writes/`: the same durable rows a join writes (ticket, audit entry, SMS, its task)
  as plain inserts in one transaction — to tell the cost of those writes from the queue's own;
- `/bench/join/`: `services.ticket_issue` for a guest with a mobile number, the full service
  (branch-day upsert, ticket row, audit entry, SMS message row and its task, broadcast to Redis).

ApacheBench (`ab`, apt package apache2-utils) drives them with 16 concurrent connections, in
alternating rounds so that load from elsewhere on the machine hits both alike. Afterwards the
branch's tickets must be numbered 1..N with no duplicate and no gap. Goal: join >= 0.8x insert.

    .venv/bin/python bench/p2_ticket_issue.py [requests per round, default 1500]
"""

import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter as Tally
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _servers
from bench._setup import bench_env, django_setup, prepare_branch, table

REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
CONCURRENCY = 16
ROUNDS = 2
WORKERS = 4

django_setup()


def ab(url: str, requests: int, body: Path) -> dict[str, float]:
    output = subprocess.run(  # noqa: S603
        [shutil.which("ab") or "ab", "-q", "-n", str(requests), "-c", str(CONCURRENCY),
         "-p", str(body), "-T", "application/x-www-form-urlencoded", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def number(label: str) -> float:
        match = re.search(rf"{label}:\s+([\d.]+)", output)
        return float(match.group(1)) if match else 0.0

    def share(percent: str) -> float:
        match = re.search(rf"\n\s+{percent}%\s+(\d+)", output)
        return float(match.group(1)) if match else float("nan")

    return {
        "rps": number("Requests per second"),
        "failed": number("Failed requests") + number("Non-2xx responses"),
        "p50": share("50"),
        "p99": share("99"),
    }


def queries_per_request() -> dict[str, int]:
    """Round trips per request, counted in-process through the test client (the profile)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path in (("insert", "/bench/insert/"), ("writes", "/bench/writes/"),
                       ("join", "/bench/join/")):  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            Client(HTTP_HOST="127.0.0.1").post(path)
        counts[name] = len(captured.captured_queries)
    return counts


def main() -> None:
    if shutil.which("ab") is None:
        sys.exit("needs ApacheBench: apt-get install -y apache2-utils")
    ctx = prepare_branch()
    counts = queries_per_request()
    port = _servers.free_port()
    log = Path(tempfile.gettempdir()) / "majlis-bench-p2.log"
    server = _servers.start(
        [_servers.python(), "-m", "gunicorn", "bench.benchsite.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"],
        bench_env(DATABASE_POOL_MAX="2"), port, log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    results: dict[str, list[dict[str, float]]] = {"insert": [], "writes": [], "join": []}
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as body:
            body.write("x=1")
            body.flush()
            ab(f"{base}/bench/insert/", 200, Path(body.name))  # warm-up
            ab(f"{base}/bench/join/", 200, Path(body.name))
            for _ in range(ROUNDS):
                for name in ("insert", "writes", "join"):
                    results[name].append(ab(f"{base}/bench/{name}/", REQUESTS, Path(body.name)))
    finally:
        _servers.stop(server)

    from majlis.queueing.models import Ticket

    numbers = list(Ticket.objects.filter(branch=ctx["branch"]).values_list("number", flat=True))
    duplicates = sum(n - 1 for n in Tally(numbers).values() if n > 1)
    gaps = len(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    last = max(numbers, default=0)
    failed = sum(r["failed"] for rs in results.values() for r in rs)

    rows = []
    for name in ("insert", "writes", "join"):
        for index, r in enumerate(results[name], 1):
            rows.append([name, index, r["rps"], r["p50"], r["p99"], int(r["failed"])])
    table(f"P2 over HTTP: gunicorn {WORKERS} sync workers, ab -c {CONCURRENCY}, "
          f"{REQUESTS} requests a round", ["endpoint", "round", "req/s", "p50 ms", "p99 ms",
                                           "failed"], rows)  # fmt: skip
    insert = sum(r["rps"] for r in results["insert"]) / ROUNDS
    join = sum(r["rps"] for r in results["join"]) / ROUNDS
    writes = sum(r["rps"] for r in results["writes"]) / ROUNDS
    print(f"\nqueries per request: insert {counts['insert']}, writes {counts['writes']}, "
          f"join {counts['join']}")  # fmt: skip
    print(
        f"join / same-writes throughput: {join:.0f} / {writes:.0f} = {join / writes:.2f}x "
        "(the queue's own cost over the rows a join must write)"
    )
    print(f"join / insert throughput: {join:.0f} / {insert:.0f} = {join / insert:.2f}x "
          f"(goal >= 0.8x: {'PASS' if join / insert >= 0.8 else 'FAIL'})")  # fmt: skip
    print(f"tickets {len(numbers)}, highest number {last}, duplicates {duplicates}, "
          f"gaps {gaps}, failed requests {failed:.0f}")  # fmt: skip
    prepare_branch()


if __name__ == "__main__":
    main()
