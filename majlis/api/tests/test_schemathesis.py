"""S15: schemathesis over the whole OpenAPI document, against the running WSGI application.

Every operation (sign-in, queue, requests) gets generated calls — valid and invalid input, half
of them aimed at real objects (a demo citizen's request, its file, a ticket) so that they get
past the 404 — with a valid bearer token of that citizen. The bar: no server error, every
answer's status and body as the document declares them, every operation exercised.
"""

import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug import Client

from config.wsgi import application
from majlis.accounts.services import api_token_issue
from majlis.cases import services
from majlis.cases.testing import a_file
from majlis.catalogue.models import Branch, Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.tasks import upload_scan
from majlis.queueing import services as queue_services

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Calls per operation (about 450 in all, under a minute). For a deeper hunt, run it with
# SCHEMATHESIS_EXAMPLES=200 SCHEMATHESIS_RANDOM=1 (new inputs every run instead of the same ones).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20"))
DERANDOMIZE = not os.environ.get("SCHEMATHESIS_RANDOM")
SIGN_OUT = "DELETE /api/v1/auth/token"


@pytest.fixture
def wsgi_requests() -> Iterator[None]:
    """Calls into the WSGI app share the test's transaction, as the test client's do: the
    per-request connection clean-up (which would close it mid-test) is off meanwhile."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class BufferedClient(Client):
    """Reads each answer whole and closes it, as a WSGI server does (a download's file too)."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def _known_objects(amina: Any) -> dict[str, dict[str, Any]]:
    """Real values for parameters and body fields, by the start of an operation's path: Amina's
    request and its file, her ticket, services that exist, a permit the registry holds."""
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    upload = upload_accept(file=a_file("letter.pdf"), owner=amina, policy=UploadPolicy())
    upload_scan.call(upload.pk)
    case = services.case_submit(
        service=service, version=version, citizen=amina, answers={"visit_subject": "موعد"},
        files={"reason_letter": upload}, language="ar",
    )  # fmt: skip
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    ticket = queue_services.ticket_issue(
        branch=Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ"), service=qareeb,
        citizen=amina, phone=amina.phone, email="", language="ar",
    )  # fmt: skip
    services.case_draft_save(citizen=amina, service=service, version=version,
                             data={"visit_subject": ["مسودة"]}, files={})  # fmt: skip
    najran = {"authority": "najran", "service": "emirate-appointment"}
    return {
        "/api/v1/auth/": {"authority": "ajman"},
        "/api/v1/queue": {"authority": "ajman", "service": "qareeb", "branch": "AJ",
                          "ticket_id": ticket.public_id},
        "/api/v1/services/{authority}/{service}/registry": {
            "authority": "amman", "service": "contractor-permit-renewal",
            "contractor_number": "31540", "permit_number": "P-7102", "permit_year": "2026",
        },
        "/api/v1/services/": najran,
        "/api/v1/requests/inquiry": {"authority": "najran", "number": str(case.number),
                                     "year": case.year},
        "/api/v1/requests": {**najran, "reference": case.reference,
                             "upload_id": upload.public_id},
    }  # fmt: skip


def _known_for(operation: Any, known: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return next((values for start, values in known.items() if operation.path.startswith(start)),
                {})  # fmt: skip


def _aimed(case: Any, values: dict[str, Any]) -> Any:
    """The generated call with the fields that name an object set to a real one."""
    for name, value in values.items():
        if isinstance(case.query, dict) and name in case.query:
            case.query[name] = value
        if isinstance(case.body, dict) and name in case.body:
            case.body[name] = value
    return case


def _strategy(operation: Any, known: dict[str, dict[str, Any]]) -> Any:
    """Half the calls as generated, half aimed at real objects (the rest of them generated)."""
    values = _known_for(operation, known)
    names = {parameter.name for parameter in operation.path_parameters}
    fixed = {name: value for name, value in values.items() if name in names}
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        aimed = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)
        strategies.append(aimed.map(lambda case: _aimed(case, values)))
    return st.one_of(strategies)


def _fuzz(
    operation: Any, known: dict[str, dict[str, Any]], token: str, amina: Any, seen: set[int]
) -> None:
    """Generated calls to one operation; the first failing one raises, with its curl line."""

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(case=_strategy(operation, known))
    def run(case: Any) -> None:
        # Signing out ends the token it is sent with: give it one of its own each time.
        bearer = api_token_issue(user=amina) if operation.label == SIGN_OUT else token
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {bearer}"}, checks=CHECKS,
            session=BufferedClient(application),
        )  # fmt: skip
        seen.add(response.status_code)

    run()


def test_every_operation_answers_as_its_openapi_document_says(
    amina: Any, upload_root: Any, wsgi_requests: None
) -> None:
    known = _known_objects(amina)
    token = api_token_issue(user=amina)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    # Ending things (cancel, sign out, discard) last, so the others meet live objects.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: op.method.upper() == "DELETE" or op.path.endswith("/cancel"),
    )
    statuses: dict[str, set[int]] = defaultdict(set)
    failures: list[str] = []
    for operation in operations:
        try:
            _fuzz(operation, known, token, amina, statuses[operation.label])
        except (Exception, BaseExceptionGroup) as error:  # one report for all
            failures.append(f"{operation.label}:\n{error}")
    assert not failures, "\n\n".join(failures)
    labels = {operation.label for operation in operations}
    assert set(statuses) == labels, labels - set(statuses)
    assert len(labels) >= 22
    # The calls aimed at real objects got through: the request and its file were found.
    assert 200 in statuses["GET /api/v1/requests/{reference}"]
    assert 200 in statuses["GET /api/v1/requests/{reference}/files/{upload_id}"]
    assert 200 in statuses["GET /api/v1/requests/drafts/{authority}/{service}"]
    assert 200 in statuses["GET /api/v1/services/{authority}/{service}/registry"]
