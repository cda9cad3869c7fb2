"""Helpers for tests of every app."""

from typing import Any


def run_async(function: Any, *args: Any) -> Any:
    """Run `await function(*args)` to completion in a thread of its own, with its own event loop.

    Playwright's synchronous API keeps an event loop in the test thread for the whole session,
    so after a browser test `asyncio.run` and `async_to_sync` refuse to run there.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, function(*args)).result()
