"""The app's JSON answers as the form's POST, and drafts back as answers."""

import pytest

from majlis.cases.form_data import (
    AnswersNotValid,
    answers_from_form_data,
    form_data_from_answers,
    form_errors_by_path,
)
from majlis.cases.testing import a_file, saudi_id
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_class_get, form_version_current

pytestmark = pytest.mark.django_db


@pytest.fixture
def najran(demo):
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    return form_version_current(service=service)


def _answers(version, **overrides):
    options = {m["name"]: m.get("options") for m in version.fields}
    answers = {
        "applicant_type": "individual",
        "full_name": ["أمينة", "سالم", "محمد", "العلي"],
        "national_id": saudi_id(1),
        "mobile": "0501234567",
        "email": "amina@example.com",
        "governorate": options["governorate"][0]["value"],
        "appointment_type": "emir",
        "entry_gate": options["entry_gate"][0]["value"],
        "visit_reason": "complaint",
        "visit_subject": "موضوع الزيارة",
        "has_belongings": "yes",
        "belongings": ["car", "phone"],
        "companions": [{"name": "سالم", "id_number": saudi_id(2)}],
        "declaration": True,
    }
    answers.update(overrides)
    return answers


def test_it_writes_the_post_a_browser_would_send(najran):
    files = {
        "reason_letter": a_file("a.pdf"), "id_copy": a_file("b.pdf"),
        "companions.0.id_image": a_file("c.png"), "companions.5.id_image": a_file(),
    }  # fmt: skip
    data, posted = form_data_from_answers(najran, _answers(najran), files)
    assert [data[f"full_name_{i}"] for i in range(4)] == ["أمينة", "سالم", "محمد", "العلي"]
    assert data.getlist("belongings") == ["car", "phone"]
    assert data["declaration"] == "on"
    assert (data["companions-TOTAL_FORMS"], data["companions-INITIAL_FORMS"]) == ("1", "0")
    assert data["companions-0-name"] == "سالم"
    # Files go under the form's keys; one for a row that was not sent is left out.
    assert set(posted) == {"reason_letter", "id_copy", "companions-0-id_image"}
    form = form_class_get(version=najran, language="ar")(data, posted)
    assert form.is_valid(), form_errors_by_path(form)
    assert form.answers()["companions"][0]["name"] == "سالم"
    assert set(form.uploads()) == {"reason_letter", "id_copy", "companions.0.id_image"}


def test_keys_the_form_does_not_have_never_reach_it(najran):
    answers = _answers(najran, status="approved", citizen=7, reference="NJR-1-1")
    data, _files = form_data_from_answers(najran, answers, {})
    assert not {"status", "citizen", "reference"} & set(data)


def test_an_unticked_declaration_and_numbers_are_written_as_a_browser_does(demo):
    amman = form_version_current(
        service=Service.objects.get(authority__slug="amman", slug="contractor-permit-renewal")
    )
    data, _files = form_data_from_answers(amman, {"permit_year": 2026, "permit_number": 5521}, {})
    assert (data["permit_year"], data["permit_number"]) == ("2026", "5521")
    najran_version = form_version_current(
        service=Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    )
    data, _files = form_data_from_answers(najran_version, {"declaration": False}, {})
    assert "declaration" not in data


def test_it_names_every_answer_of_the_wrong_shape_at_once(najran):
    answers = _answers(
        najran, visit_subject={"a": 1}, belongings=[{"x": 1}], companions=[{"name": "a"}, 3]
    )
    with pytest.raises(AnswersNotValid) as raised:
        form_data_from_answers(najran, answers, {})
    assert set(raised.value.errors) == {"visit_subject", "belongings", "companions.1"}
    assert form_data_from_answers(najran, {"companions": "two"}, {}, strict=False)[0][
        "companions-TOTAL_FORMS"
    ] == "0"  # fmt: skip


def test_a_draft_reads_back_as_the_answers_it_was_written_from(najran):
    answers = _answers(najran, companions=[{"name": "سالم", "id_number": "1"}, {"name": "علي"}])
    data, _files = form_data_from_answers(najran, answers, {})
    assert answers_from_form_data(najran, dict(data.lists())) == answers


def test_row_errors_come_by_answers_path(najran):
    answers = _answers(
        najran, companions=[{"name": "سالم", "id_number": "123"}, {"id_number": saudi_id(3)}]
    )
    data, files = form_data_from_answers(najran, answers, {"reason_letter": a_file()})
    form = form_class_get(version=najran, language="en")(data, files)
    assert not form.is_valid()
    errors = form_errors_by_path(form)
    assert "companions.0.id_number" in errors
    assert errors["companions.1.name"] == ["This field is required."]
    assert errors["id_copy"] == ["This field is required."]
    assert "reason_letter" not in errors
