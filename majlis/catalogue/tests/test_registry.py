"""The contractor registry check (Amman, seed 003): the table kept in the admin with its CSV import,
and a registry web service reached over HTTP through a timeout, retries and a circuit breaker."""

import datetime
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from majlis.accounts.models import User
from majlis.accounts.testing import sign_in_staff
from majlis.catalogue.models import Authority, ContractorPermit
from majlis.catalogue.registry import Refusal, registry_lookup
from majlis.catalogue.registry import http as registry_http
from majlis.catalogue.registry.base import ascii_digits
from majlis.core.i18n import gregorian_years_of_hijri_year
from majlis.core.models import AuditEntry

pytestmark = pytest.mark.django_db

TOKEN = "reg-tok-7f3a9c2e51d84b06"


@pytest.fixture
def amman(demo: Any) -> Authority:
    authority = Authority.objects.get(slug="amman")
    # The demo's expiry dates follow the calendar: pin them, so the tests don't age.
    later = timezone.localdate() + datetime.timedelta(days=365)
    ContractorPermit.objects.filter(authority=authority).update(expires_on=later)
    return authority


def _lookup(authority: Authority, contractor: str, permit: str, year: object) -> Any:
    return registry_lookup(
        authority=authority, contractor_number=contractor, permit_number=permit, permit_year=year
    )


# --- The table ---------------------------------------------------------------------------------


def test_it_finds_a_demo_permit_and_returns_the_contractors_name(amman: Authority) -> None:
    result = _lookup(amman, "10231", "P-5521", "2025")
    assert result.ok
    assert result.refusal is None
    assert result.permit.name_ar == "مؤسسة الربوة للمقاولات"
    assert result.permit.name_en == "Al-Rabwa Contracting Est."
    assert result.permit.classification == "الثالثة"
    assert result.permit.expired is False
    # The permit number without its printed prefix finds the same permit.
    assert _lookup(amman, " 10231 ", "5521", 2025).permit == result.permit


def test_it_accepts_arabic_indic_digits(amman: Authority) -> None:
    result = _lookup(amman, "٢٠٨٧٧", "٦٠٣٤", "٢٠٢٥")
    assert result.ok
    assert result.permit.name_en == "Jabal Al-Weibdeh Construction Co."
    assert _lookup(amman, "۳۱۵۴۰", "P-۷۱۰۲", "۲۰۲۶").ok  # Eastern (Persian) digits too


def test_it_refuses_a_miss_as_not_found(amman: Authority) -> None:
    for contractor, permit, year in [
        ("10231", "5521", 2026),  # right numbers, wrong year
        ("10231", "6034", 2025),  # another contractor's permit
        ("99999", "5521", 2025),
    ]:
        result = _lookup(amman, contractor, permit, year)
        assert (result.ok, result.refusal, result.permit) == (False, Refusal.NOT_FOUND, None)
        assert result.field is None
    with translation.override("en"):
        assert result.message == (
            "No permit matches this contractor number, permit number and year."
        )
    # Another authority's registry does not hold Amman's contractors.
    ajman = Authority.objects.get(slug="ajman")
    assert _lookup(ajman, "10231", "5521", 2025).refusal == Refusal.NOT_FOUND


def test_it_refuses_an_expired_permit_but_still_names_it(amman: Authority) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=2)
    ContractorPermit.objects.filter(permit_number="P-4410").update(expires_on=yesterday)
    result = _lookup(amman, "10231", "4410", "2024")
    assert result.ok is False
    assert result.refusal == Refusal.EXPIRED
    assert result.permit.expired is True
    assert result.permit.expires_on == yesterday
    assert result.permit.name_en == "Al-Rabwa Contracting Est."
    with translation.override("en"):
        assert result.message == "This permit has expired."
    with translation.override("ar"):
        assert result.message == "انتهت صلاحية هذا التصريح."


@pytest.mark.parametrize(
    ("contractor", "permit", "year", "field"),
    [
        ("10a31", "5521", "2025", "contractor_number"),
        ("", "5521", "2025", "contractor_number"),
        ("10231", "55-21-X", "2025", "permit_number"),
        ("10231", "", "2025", "permit_number"),
        ("10231", "5521", "25", "permit_year"),
        ("10231", "5521", "1447", "permit_year"),  # Amman does not use the Hijri calendar
        ("10231", "5521", "٢٠٢٥م", "permit_year"),
    ],
)
def test_it_refuses_malformed_numbers_naming_the_field(
    amman: Authority, contractor: str, permit: str, year: str, field: str
) -> None:
    result = _lookup(amman, contractor, permit, year)
    assert (result.refusal, result.field) == (Refusal.INVALID, field)
    with translation.override("en"):
        assert result.message.startswith("Enter the ")


def test_it_reads_a_hijri_year_where_the_authority_uses_it(amman: Authority) -> None:
    assert gregorian_years_of_hijri_year(1447) == (2025, 2026)
    Authority.objects.filter(pk=amman.pk).update(show_hijri=True)
    amman.refresh_from_db()
    result = _lookup(amman, "10231", "5521", "١٤٤٧")
    assert result.ok
    assert result.permit.permit_year == 2025
    assert _lookup(amman, "10231", "5521", "1445").refusal == Refusal.NOT_FOUND  # 2023-24
    assert _lookup(amman, "10231", "5521", "1600").field == "permit_year"
    with translation.override("en"):
        assert "Gregorian or Hijri" in _lookup(amman, "10231", "5521", "1600").message


# --- CSV import and export in the admin -----------------------------------------------------------

IMPORT_URL = "/admin/catalogue/contractorpermit/import/"
HEADER = (
    "contractor_number,permit_number,permit_year,contractor_name_ar,contractor_name_en,"
    "classification,expires_on\n"
)


def _root(client: Any) -> User:
    root = User.objects.create_superuser(username="root", password="x", display_name="Root")
    sign_in_staff(client, root)
    return root


def _upload(client: Any, authority: Authority, text: str, **extra: Any) -> Any:
    upload = SimpleUploadedFile("permits.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(IMPORT_URL, {"authority": authority.pk, "file": upload}, **extra)


def test_it_imports_good_rows_and_records_the_import(english: Any, amman: Authority) -> None:
    _root(english)
    assert english.get(IMPORT_URL).status_code == 200
    text = (
        "\ufeff"
        + HEADER
        + (
            "40001,P-9001,2026,مؤسسة النخيل,Al-Nakheel Est.,الرابعة,2027-12-31\n"
            "٤٠٠٠٢,9002,2026,شركة الأفق,Al-Ofuq Co.,,\n"
        )
    )
    response = _upload(english, amman, text, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    rows = ContractorPermit.objects.filter(authority=amman, contractor_number__startswith="4000")
    assert sorted(rows.values_list("contractor_number", "permit_number", "expires_on")) == [
        ("40001", "P-9001", datetime.date(2027, 12, 31)),
        ("40002", "9002", None),
    ]
    entry = AuditEntry.objects.get(action="catalogue.contractorpermit.imported")
    assert entry.actor_label == "root"
    assert entry.object_id == str(amman.pk)
    assert entry.client_address == "192.0.2.7"
    assert entry.data == {"file": "permits.csv", "created": 2, "updated": 0, "unchanged": 0}
    assert _lookup(amman, "40002", "9002", "2026").permit.name_en == "Al-Ofuq Co."


def test_it_lists_bad_rows_by_line_number_and_imports_nothing(
    english: Any, amman: Authority
) -> None:
    _root(english)
    before = ContractorPermit.objects.count()
    text = HEADER + (
        "40001,P-9001,2026,مؤسسة النخيل,Al-Nakheel Est.,,2027-12-31\n"  # line 2: good
        "4000X,P-9002,2026,شركة,Co.,,\n"  # line 3: contractor number
        "40003,P-9003,26,شركة,Co.,,31/12/2027\n"  # line 4: year and date
        "40001,9001,2026,مكرر,Duplicate,,\n"  # line 5: same permit as line 2
    )
    response = _upload(english, amman, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported: 4 problems to fix." in page
    assert "<bdi>3</bdi></th><td>The contractor number must be digits only." in page
    assert "<bdi>4</bdi></th><td>The permit year must be a Gregorian year" in page
    assert "<bdi>4</bdi></th><td>The expiry date must be written YYYY-MM-DD" in page
    assert "<bdi>5</bdi></th><td>The same permit is already on line 2." in page
    assert ContractorPermit.objects.count() == before
    assert not AuditEntry.objects.filter(action="catalogue.contractorpermit.imported").exists()
    # A file without the header line is refused as a whole.
    response = _upload(english, amman, "40001,P-9001,2026,a,b,,\n")
    assert "The first line must name the columns" in response.content.decode()


def test_it_updates_a_row_on_re_import(english: Any, amman: Authority) -> None:
    _root(english)
    # The demo's P-5521, written without its prefix and in Arabic-Indic digits.
    text = HEADER + "10231,٥٥٢١,2025,مؤسسة الربوة الجديدة,Al-Rabwa New Est.,الثانية,2027-06-30\n"
    assert _upload(english, amman, text).status_code == 302
    row = ContractorPermit.objects.get(authority=amman, contractor_number="10231", permit_year=2025)
    assert (row.contractor_name_en, row.classification) == ("Al-Rabwa New Est.", "الثانية")
    assert row.expires_on == datetime.date(2027, 6, 30)
    assert ContractorPermit.objects.filter(authority=amman).count() == 4
    entry = AuditEntry.objects.get(action="catalogue.contractorpermit.imported")
    assert (entry.data["created"], entry.data["updated"]) == (0, 1)


def test_it_imports_only_into_the_staff_members_own_authority(client: Any, demo: Any) -> None:
    admin = User.objects.get(username="najran.admin")
    sign_in_staff(client, admin)
    amman = Authority.objects.get(slug="amman")
    response = _upload(client, amman, HEADER + "40001,P-9001,2026,أ,A,,\n")
    assert response.status_code == 200  # the form again: Amman is not among its choices
    assert not ContractorPermit.objects.filter(contractor_number="40001").exists()
    # Nor may an authority administrator point the registry's address (and token) elsewhere.
    najran = Authority.objects.get(slug="najran")
    page = client.get(f"/admin/catalogue/authority/{najran.pk}/change/").content.decode()
    assert 'name="sso_provider_id"' in page
    assert 'name="registry_url"' not in page


def test_it_exports_csv_with_formulas_neutralised(english: Any, amman: Authority) -> None:
    _root(english)
    row = ContractorPermit.objects.create(
        authority=amman, contractor_number="50001", permit_number="P-1", permit_year=2026,
        contractor_name_ar="=HYPERLINK(\"http://x\")", contractor_name_en="+1-2",
        classification="@SUM(A1)",
    )  # fmt: skip
    response = english.post(
        "/admin/catalogue/contractorpermit/",
        {"action": "export_csv", "_selected_action": [row.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == HEADER.strip()
    assert lines[1] == '50001,P-1,2026,"\'=HYPERLINK(""http://x"")",\'+1-2,\'@SUM(A1),'


# --- The HTTP connector against a real local server ---------------------------------------------


@dataclass
class Registry:
    """A registry web service on a local port; `plan` says how to answer the next requests."""

    url: str = ""
    plan: list[str] = field(default_factory=list)
    default: str = "found"
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _handler(registry: Registry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
            registry.requests.append({"query": query, "auth": self.headers.get("Authorization")})
            mode = registry.plan.pop(0) if registry.plan else registry.default
            if mode == "slow":
                registry.release.wait(5)  # longer than the client waits; released at teardown
                mode = "found"
            status, body = {
                "found": (200, json.dumps({
                    "found": True, "name_ar": "شركة السجل", "name_en": "Registry Co.",
                    "classification": "الأولى", "expires_on": "2099-12-31",
                })),
                "not_found": (404, json.dumps({"found": False})),
                "error": (500, "Internal Server Error"),
                "garbage": (200, "<html>maintenance</html>"),
                "wrong_shape": (200, json.dumps({"found": True, "name_en": 42})),
            }[mode]  # fmt: skip
            data = body.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting (the timeout case)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def registry(amman: Authority, settings: Any) -> Iterator[Registry]:
    state = Registry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/permits"
    Authority.objects.filter(pk=amman.pk).update(registry_connector="http", registry_url=state.url)
    amman.refresh_from_db()
    settings.REGISTRY_TOKEN = TOKEN
    settings.REGISTRY_TIMEOUT = 0.3
    settings.REGISTRY_RETRIES = 2
    settings.REGISTRY_BACKOFF_MS = 0
    settings.REGISTRY_BREAKER_FAILURES = 3
    settings.REGISTRY_BREAKER_COOLDOWN = 30
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


def test_it_asks_the_registry_with_the_numbers_and_the_token(
    amman: Authority, registry: Registry
) -> None:
    result = _lookup(amman, "١٠٢٣١", "P-5521", "2025")
    assert result.ok
    assert (result.permit.name_ar, result.permit.name_en) == ("شركة السجل", "Registry Co.")
    assert result.permit.expires_on == datetime.date(2099, 12, 31)
    assert registry.requests == [{
        "query": {"contractor": "10231", "permit": "5521", "year": "2025"},
        "auth": f"Bearer {TOKEN}",
    }]  # fmt: skip


def test_it_reads_not_found_from_the_registry(amman: Authority, registry: Registry) -> None:
    registry.default = "not_found"
    assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.NOT_FOUND
    assert len(registry.requests) == 1


def test_it_retries_a_server_error_then_gives_up(amman: Authority, registry: Registry) -> None:
    registry.plan = ["error", "found"]
    assert _lookup(amman, "10231", "5521", "2025").ok
    assert len(registry.requests) == 2
    registry.requests.clear()
    registry.default = "error"
    result = _lookup(amman, "10231", "5521", "2025")
    assert result.refusal == Refusal.UNAVAILABLE
    with translation.override("en"):
        assert result.message == (
            "The registry cannot be reached now. Please try again in a few minutes."
        )
    with translation.override("ar"):
        assert result.message == (
            "تعذّر الاتصال بسجل المقاولين حاليًا. يرجى المحاولة مرة أخرى بعد بضع دقائق."
        )
    assert len(registry.requests) == 3  # the first attempt and two retries


def test_it_retries_a_registry_that_answers_too_slowly(
    amman: Authority, registry: Registry
) -> None:
    registry.default = "slow"
    assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 3


@pytest.mark.parametrize("mode", ["garbage", "wrong_shape"])
def test_it_treats_an_unexpected_answer_as_unavailable_without_retrying(
    amman: Authority, registry: Registry, mode: str, caplog: Any
) -> None:
    registry.default = mode
    with caplog.at_level(logging.WARNING, logger="majlis.catalogue.registry"):
        assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 1
    assert "registry amman: no answer" in caplog.text


def test_it_opens_the_circuit_after_repeated_failures_then_half_opens(
    amman: Authority, registry: Registry, monkeypatch: Any
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(registry_http, "_now", lambda: clock[0])
    registry.default = "error"
    for _ in range(3):  # REGISTRY_BREAKER_FAILURES failed lookups, 3 requests each
        assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 9

    # Open: lookups fail at once, and the registry hears nothing.
    registry.default = "found"
    for _ in range(5):
        assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    clock[0] += 29
    assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 9

    # After the cool-down, half-open: one probe, a single attempt; it fails, so open again.
    clock[0] += 2
    registry.plan = ["error"]
    assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 10
    assert _lookup(amman, "10231", "5521", "2025").refusal == Refusal.UNAVAILABLE
    assert len(registry.requests) == 10

    # Next cool-down: the probe succeeds and the circuit closes.
    clock[0] += 31
    assert _lookup(amman, "10231", "5521", "2025").ok
    assert _lookup(amman, "10231", "5521", "2025").ok
    assert len(registry.requests) == 12
    assert not registry_http.CircuitBreaker(str(amman.pk)).is_open


def test_it_counts_failures_in_a_row_only(amman: Authority, registry: Registry) -> None:
    registry.plan = ["error"] * 6 + ["found"] + ["error"] * 3  # fail, fail, ok, fail: still closed
    outcomes = [_lookup(amman, "10231", "5521", "2025").refusal for _ in range(4)]
    assert outcomes == [Refusal.UNAVAILABLE, Refusal.UNAVAILABLE, None, Refusal.UNAVAILABLE]
    assert not registry_http.CircuitBreaker(str(amman.pk)).is_open


def test_it_never_logs_the_token(amman: Authority, registry: Registry, caplog: Any) -> None:
    for name in ("", "httpx", "httpcore", "majlis.catalogue.registry"):
        caplog.set_level(logging.DEBUG, logger=name)
    registry.plan = ["found", "not_found", "error", "error", "error", "garbage", "slow"]
    registry.plan += ["slow", "slow"]
    for _ in range(5):
        _lookup(amman, "10231", "5521", "2025")
    assert len(registry.requests) == 9
    assert all(request["auth"] == f"Bearer {TOKEN}" for request in registry.requests)
    assert "registry amman: no answer" in caplog.text  # the faults are logged …
    logged = caplog.text + "".join(repr(record.__dict__) for record in caplog.records)
    assert TOKEN not in logged  # … without the token


def test_it_normalises_arabic_indic_digits() -> None:
    assert ascii_digits(" ٠١٢٣٤٥٦٧٨٩ ") == "0123456789"
    assert ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
