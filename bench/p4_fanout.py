"""P4: the waiting-page fan-out. N sockets on one branch's feed, one published change.

Our path: uvicorn serving `config.asgi` (bench settings, production profile) with Redis:
`core.realtime.group_publish` -> Redis -> the process's fan-out hub (`core.fanout`, one
subscription per branch) -> every `branch_feed` socket of the branch. Baseline in the same run:
the same uvicorn serving `bench/_bare_ws.py`, a raw ASGI app that writes the same bytes,
received through one Redis subscription, to every socket (see that module for why this is the
bare broadcast).

Clients run in separate processes (asyncio + websockets). For each server and each N: the
clients connect, then M changes are published one after another (each about 350 bytes, a real
"call" message shape with its publish time inside); every client records when each arrived.
Reported: server CPU per delivery (from /proc, idle rate subtracted), delivery latency p50/p99
(publish to receipt), then a reconnect storm: every client drops its sockets and all reconnect
at once; the time until all are open again.

    .venv/bin/python bench/p4_fanout.py [N ...]   (default 1000 5000)
"""

import asyncio
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _servers
from bench._setup import bench_env, django_setup, percentile, table

CLIENT_PROCESSES = 2
PUBLISHES = 10
GAP = 1.0  # seconds between publishes


def _client_main(url: str, origin: str, count: int, publishes: int, results: Any,
                 storm: Any, index: int) -> None:  # fmt: skip
    from websockets.asyncio.client import connect

    async def open_all() -> list[Any]:
        sockets: list[Any] = []
        for start in range(0, count, 200):  # in waves, as pages open
            batch = await asyncio.gather(
                *(connect(url, origin=origin, open_timeout=60, ping_interval=None)
                  for _ in range(start, min(count, start + 200)))
            )  # fmt: skip
            sockets.extend(batch)
        return sockets

    async def collect(sock: Any, arrivals: list[tuple[int, float]]) -> None:
        for _ in range(publishes):
            try:
                text = await asyncio.wait_for(sock.recv(), 30)
            except TimeoutError:
                return
            arrivals.append((json.loads(text)["seq"], time.time() - json.loads(text)["at"]))

    async def run() -> None:
        sockets = await open_all()
        results.put(("open", index, len(sockets)))
        arrivals: list[tuple[int, float]] = []
        await asyncio.gather(*(collect(s, arrivals) for s in sockets))
        results.put(("arrivals", index, arrivals))
        await asyncio.gather(*(s.close() for s in sockets))
        await asyncio.get_running_loop().run_in_executor(None, storm.wait)
        started = time.time()
        sockets = await asyncio.gather(
            *(connect(url, origin=origin, open_timeout=60, ping_interval=None)
              for _ in range(count))
        )  # fmt: skip
        results.put(("storm", index, (started, time.time())))
        await asyncio.gather(*(s.close() for s in sockets))

    asyncio.run(run())


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _message(seq: int) -> str:
    return json.dumps(
        {"v": 1000 + seq, "ops": [["rm", 1, 17638320000000012]], "now": {"1": "AJ-012"},
         "call": {"code": "AJ-012", "service": 1, "counter": "2", "counter_ar":
                  "مكتب الاتصال المرئي 2", "counter_en": "Video desk 2"},
         "eta": {"1": [120, 240, 360, 480, 600, 720, 840, 960]}, "seq": seq, "at": time.time()},
        separators=(",", ":"), ensure_ascii=False,
    )  # fmt: skip


def measure(kind: str, clients: int) -> dict[str, Any]:
    import redis
    from django.conf import settings

    from majlis.core.realtime import group_publish
    from majlis.queueing.models import Branch
    from majlis.queueing.services import group_name

    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    port = _servers.free_port()
    app = "config.asgi:application" if kind == "ours" else "bench._bare_ws:application"
    log = Path(tempfile.gettempdir()) / f"majlis-bench-p4-{kind}.log"
    server = _servers.start(
        [_servers.python(), "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--no-access-log", "--backlog", "8192"],
        bench_env(), port, log,
    )  # fmt: skip
    url = f"ws://127.0.0.1:{port}/ws/queue/ajman/AJ/"
    results: Any = multiprocessing.Queue()
    storm = multiprocessing.Event()
    share = clients // CLIENT_PROCESSES
    processes = [
        multiprocessing.Process(target=_client_main, args=(
            url, f"http://127.0.0.1:{port}", share, PUBLISHES, results, storm, i))
        for i in range(CLIENT_PROCESSES)
    ]  # fmt: skip
    bare = redis.Redis.from_url(settings.REDIS_URL)
    try:
        for process in processes:
            process.start()
        opened = sum(results.get(timeout=300)[2] for _ in processes)
        time.sleep(1)
        idle_start, idle_cpu = time.time(), _cpu_seconds(server.pid)
        time.sleep(2)
        idle_rate = (_cpu_seconds(server.pid) - idle_cpu) / (time.time() - idle_start)
        cpu_start, wall_start = _cpu_seconds(server.pid), time.time()
        for seq in range(PUBLISHES):
            if kind == "ours":
                group_publish(group_name(branch.pk), {"type": "queue.event", "text": _message(seq)})
            else:
                bare.publish("majlis-bench-bare", _message(seq))
            time.sleep(GAP)
        arrivals = [x for _ in processes for x in results.get(timeout=120)[2]]
        cpu = _cpu_seconds(server.pid) - cpu_start - idle_rate * (time.time() - wall_start)
        storm.set()
        windows = [results.get(timeout=300)[2] for _ in processes]
        settle = max(end for _, end in windows) - min(start for start, _ in windows)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
        _servers.stop(server)
    latencies = [seconds * 1000 for _, seconds in arrivals]
    return {"kind": kind, "clients": opened, "deliveries": len(arrivals),
            "expected": opened * PUBLISHES, "cpu_us": cpu / max(1, len(arrivals)) * 1e6,
            "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "settle": settle}  # fmt: skip


def main() -> None:
    sizes = [int(n) for n in sys.argv[1:]] or [1000, 5000]
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    django_setup()
    from bench._setup import prepare_branch

    prepare_branch()
    rows, by = [], {}
    for clients in sizes:
        for kind in ("bare", "ours"):
            r = measure(kind, clients)
            by[(kind, clients)] = r
            rows.append([kind, r["clients"], f"{r['deliveries']}/{r['expected']}",
                         r["cpu_us"], r["p50"], r["p99"], r["settle"]])  # fmt: skip
    table(
        f"P4 fan-out: {PUBLISHES} changes to N sockets (one uvicorn process)",
        ["server", "N", "delivered", "CPU µs/delivery", "p50 ms", "p99 ms", "storm settle s"],
        rows,
    )
    for clients in sizes:
        ours, bare = by[("ours", clients)], by[("bare", clients)]
        ratio = ours["cpu_us"] / bare["cpu_us"]
        print(f"N={clients}: CPU per delivery ours/bare {ratio:.2f}x (goal <= 1.5x), "
              f"p99 {ours['p99']:.0f} ms (goal < 500 ms at 5,000), "
              f"reconnect storm settled in {ours['settle']:.1f} s (goal < 10 s)")  # fmt: skip


if __name__ == "__main__":
    main()
