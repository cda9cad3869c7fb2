import pytest

from majlis.catalogue.models import Authority, Service

pytestmark = pytest.mark.django_db


def test_it_lists_every_demo_authority_on_the_home_page(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    for authority in Authority.objects.all():
        assert authority.name_ar in response.text


def test_it_renders_every_service_card_in_arabic_and_english(client, demo):
    services = list(Service.objects.select_related("authority"))
    assert len(services) == demo["services"]
    for language in ("ar", "en"):
        client.cookies["majlis_language"] = language
        for service in services:
            response = client.get(f"/{service.authority.slug}/services/{service.slug}/")
            assert response.status_code == 200
            name = service.name_ar if language == "ar" else service.name_en
            assert f'<h1 class="page-title">{name}</h1>' in response.text


def test_it_shows_the_najran_card_facts_as_the_guide_does(client, demo):
    response = client.get("/najran/services/emirate-appointment/")
    for text in (
        "لا يوجد رسوم",
        "المواطنون / المقيمون",
        "حسب اتفاقية مستوى الخدمة",
        "مواقع الإمارة",
        "إرفاق خطاب سبب الزيارة",
        "النفاذ الوطني الموحد",
    ):
        assert text in response.text


def test_it_answers_404_alike_for_missing_and_inactive_services(client, demo):
    Service.objects.filter(slug="qareeb").update(is_active=False)
    hidden = client.get("/ajman/services/qareeb/")
    missing = client.get("/ajman/services/no-such-service/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_it_groups_an_authority_catalogue_by_kind(english, demo):
    response = english.get("/ajman/")
    assert response.status_code == 200
    text = response.text
    assert text.index("Video call queue") < text.index("Walk-in queue")
    assert "Masfout" in text
    assert "Manama" in text


def test_it_serves_the_authority_theme_as_css_variables(client, demo):
    response = client.get("/najran/theme.css")
    assert response["Content-Type"].startswith("text/css")
    assert "--color-primary-600: #0E6B46;" in response.text


def test_it_redirects_home_to_the_only_authority(client, demo):
    Authority.objects.exclude(slug="muscat").update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/muscat/"


def test_it_serves_an_uploaded_logo_safely(client, demo, settings, tmp_path):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    najran = Authority.objects.get(slug="najran")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#0E6B46").save(buffer, "PNG")
    najran.logo.save("logo.png", ContentFile(buffer.getvalue()))
    page = client.get("/najran/")
    assert '<img src="/najran/logo"' in page.text
    response = client.get("/najran/logo")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    # An HTML file dressed up as a logo is not served.
    najran.logo.save("evil.png", ContentFile(b"<script>alert(1)</script>"))
    assert client.get("/najran/logo").status_code == 404
    assert client.get("/ajman/logo").status_code == 404  # no logo uploaded
