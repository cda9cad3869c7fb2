"""What the anti-bot check costs a bot: a form submission with the puzzle solved against one
without, through the demo form (majlis/core/tests/antibot_urls.py) and Django's test client.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.antibot [submissions] [bits]

The bot solves in Python with hashlib, reusing the hash state of the challenge id (the fast way
for a script); a browser's `antibot.js` is of the same order on a desktop, several times slower on
a phone. Prints mean times and the ratio solved / unsolved. No assertion: figures only.
"""

import hashlib
import os
import re
import statistics
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scale")
    import django

    django.setup()


def solve(challenge_id: str, bits: int) -> tuple[str, int]:
    """The first nonce and how many hashes it took."""
    base = hashlib.sha256(challenge_id.encode())
    shift = 256 - bits
    nonce = 0
    while True:
        digest = base.copy()
        digest.update(str(nonce).encode())
        if int.from_bytes(digest.digest(), "big") >> shift == 0:
            return str(nonce), nonce + 1
        nonce += 1


def main(submissions: int, bits: int) -> None:
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    big = 10**9
    with override_settings(
        ROOT_URLCONF="majlis.core.tests.antibot_urls",
        ALLOWED_HOSTS=["testserver"],
        ANTIBOT_POW_BITS=bits,
        ANTIBOT_ISSUE_PER_ADDRESS=big,
        ANTIBOT_ISSUE_PER_SESSION=big,
        ANTIBOT_FAILS_PER_ADDRESS=big,
        ANTIBOT_FAILS_PER_SESSION=big,
        RATE_LIMIT_PREFIX=f"bench-{time.time_ns()}",
    ):
        client = Client()
        unsolved: list[float] = []
        solved: list[float] = []
        hashes: list[int] = []
        for number in range(submissions * 2):
            start = time.perf_counter()
            page = client.get("/antibot-demo/").content.decode()
            found = re.search(r'name="antibot_id" value="([^"]+)"', page)
            assert found, "no challenge on the demo form (caps, or the database not migrated?)"
            data = {"name": "bot", "reason": "spam", "antibot_id": found.group(1)}
            if number % 2:
                nonce, tries = solve(found.group(1), bits)
                hashes.append(tries)
                data["antibot_nonce"] = nonce
            response = client.post("/antibot-demo/", data)
            assert response.status_code == 200
            (solved if number % 2 else unsolved).append(time.perf_counter() - start)
        del settings  # only imported for override_settings to have a configured project
    print(f"difficulty: {bits} bits, {submissions} submissions each, REDIS_URL set: "
          f"{bool(os.environ.get('REDIS_URL'))}")  # fmt: skip
    print(f"unsolved submission (GET + POST):       {statistics.mean(unsolved) * 1000:8.1f} ms")
    print(f"solved submission (GET + solve + POST): {statistics.mean(solved) * 1000:8.1f} ms")
    print(f"mean hashes to solve: {statistics.mean(hashes):,.0f} (expected {2**bits:,})")
    print(f"ratio solved / unsolved: {statistics.mean(solved) / statistics.mean(unsolved):.1f}x")


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 18
    )
