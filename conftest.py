"""Shared test fixtures: the demo data, the four personas, and a client that checks every page.

Personas (house style, habit 10), all in the Najran demo authority:
- Amina, a citizen; Omar, another citizen (the stranger);
- Khalid, officer of Citizens' Affairs; Huda, officer of Public Rights (another department).
"""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from majlis.core.testing.pagecheck import check_page


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher() -> Any:
    """PBKDF2 at full strength costs ~0.3 s per account; tests create dozens."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _own_cache_keys(settings: Any) -> None:
    """Rate limits and used TOTP codes live in the cache (Redis when configured, shared by the
    parallel workers and kept between runs): each test gets keys of its own, so failed sign-ins
    in one test never lock another out."""
    import copy
    import uuid

    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fresh_queue_caches() -> None:
    """Queue policies and branch lists are kept per process; a test starts without them."""
    from majlis.queueing.services import caches_clear

    caches_clear()


@pytest.fixture(autouse=True)
def _own_rate_caps(settings: Any) -> Any:
    """Rate caps live in Redis across runs and parallel workers: each test counts on its own."""
    import uuid

    from majlis.core import ratelimit

    settings.RATE_LIMIT_PREFIX = f"test-{uuid.uuid4().hex}"
    ratelimit._redis.cache_clear()
    yield
    ratelimit._redis.cache_clear()


class CheckedClient(Client):
    """A test client that runs the page checker on every HTML page it receives."""

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        content_type = response.headers.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            if getattr(response, "streaming", False):
                return response
            language = response.headers.get("Content-Language", "ar")
            problems = check_page(response.content.decode(), language=language)
            path = request.get("PATH_INFO", "?")
            assert not problems, f"page checker on {path} ({language}):\n  " + "\n  ".join(problems)
        return response


@pytest.fixture
def client() -> CheckedClient:
    return CheckedClient()


@pytest.fixture
def english(client: CheckedClient) -> CheckedClient:
    """The same client with English chosen, as the language button would."""
    client.cookies["majlis_language"] = "en"
    return client


@pytest.fixture
def demo(db: None) -> dict[str, int]:
    from majlis.catalogue.demo import demo_load

    return demo_load()


def _citizen(username: str, name: str, phone: str) -> Any:
    from majlis.accounts.models import User

    return User.objects.create_user(
        username=username, display_name=name, phone=phone, password="persona-pass-1"
    )


def _officer(username: str, name: str, department_code: str) -> Any:
    from majlis.accounts.choices import Role
    from majlis.accounts.models import StaffRole, User
    from majlis.catalogue.models import Department

    department = Department.objects.get(authority__slug="najran", code=department_code)
    user = User.objects.create_user(
        username=username, display_name=name, is_staff=True, password="persona-pass-1"
    )
    StaffRole.objects.create(
        user=user,
        role=Role.DEPARTMENT_OFFICER,
        authority=department.authority,
        department=department,
    )
    return user


@pytest.fixture
def amina(demo: dict[str, int]) -> Any:
    return _citizen("amina", "أمينة سالم العلي", "+966501110001")


@pytest.fixture
def omar(demo: dict[str, int]) -> Any:
    return _citizen("omar", "عمر فهد الدوسري", "+966501110002")


@pytest.fixture
def khalid(demo: dict[str, int]) -> Any:
    return _officer("khalid", "خالد مبارك اليامي", "citizens-affairs")


@pytest.fixture
def huda(demo: dict[str, int]) -> Any:
    return _officer("huda", "هدى عبدالله آل سالم", "rights")


@pytest.fixture
def upload_root(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a folder of this test's own (the storage is rebuilt from STORAGES)."""
    root = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "uploads": {**settings.STORAGES["uploads"], "OPTIONS": {"location": root}},
    }
    settings.VIRUS_SCANNER = "console"
    return root
