"""A citizen's preferred channel is stored and honoured by every later notification."""

import pytest

from majlis.notifications.choices import Channel, MessageKind, PreferredChannel
from majlis.notifications.services import contact_preference_set, notify_user

pytestmark = pytest.mark.django_db
CONTEXT = {"reference": "NJR-1448-000067", "link": "https://x/r"}


def test_it_uses_sms_until_the_citizen_chooses_otherwise(amina):
    amina.email = "amina@example.org"
    amina.save()
    first = notify_user(user=amina, kind=MessageKind.REPLY, context=CONTEXT)
    assert (first.channel, first.recipient) == (Channel.SMS, "+966501110001")
    contact_preference_set(user=amina, channel=PreferredChannel.EMAIL)
    later = notify_user(user=amina, kind=MessageKind.REPLY, context=CONTEXT)
    assert (later.channel, later.recipient) == (Channel.EMAIL, "amina@example.org")
    assert later.subject == "رسالة جديدة بخصوص الطلب NJR-1448-000067"


def test_it_falls_back_when_the_chosen_channel_cannot_reach_them(amina):
    contact_preference_set(user=amina, channel=PreferredChannel.EMAIL)  # but she has no e-mail
    message = notify_user(user=amina, kind=MessageKind.REPLY, context=CONTEXT)
    assert message.channel == Channel.SMS


def test_it_writes_in_the_recipients_language(amina):
    amina.language = "en"
    amina.save()
    message = notify_user(user=amina, kind=MessageKind.REPLY, context=CONTEXT)
    assert message.body.startswith("You have a new message about request NJR-1448-000067")


def test_it_lets_the_citizen_choose_on_a_page(client, amina):
    amina.email = "amina@example.org"
    amina.save()
    client.force_login(amina)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert "رسالة نصية" in page.text
    assert "البريد الإلكتروني" in page.text
    saved = client.post("/notifications/preferences/", {"channel": "email"})
    assert saved.status_code == 302
    assert notify_user(user=amina, kind=MessageKind.REPLY, context=CONTEXT).channel == Channel.EMAIL
    refused = client.post("/notifications/preferences/", {"channel": "push"})  # not offered
    assert refused.status_code == 400


def test_it_offers_a_guest_only_what_reaches_them(client, amina):
    from majlis.accounts.services import guest_get_or_create

    guest = guest_get_or_create(phone="+971501234567")
    client.force_login(guest)
    page = client.get("/notifications/preferences/")
    assert 'value="sms"' in page.text
    assert 'value="email"' not in page.text


def test_it_asks_a_visitor_to_sign_in(client):
    response = client.get("/notifications/preferences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
