from django.test import RequestFactory, override_settings

from majlis.core.client import client_address

factory = RequestFactory()


def _request(remote: str, forwarded: str | None = None):
    request = factory.get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@override_settings(TRUSTED_PROXIES=[])
def test_it_ignores_forwarded_for_from_an_untrusted_peer():
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_believes_only_the_hops_our_proxies_added():
    # The client forged the leftmost entry; our proxy appended the real address.
    request = _request("10.0.0.5", "1.2.3.4, 203.0.113.77")
    assert client_address(request) == "203.0.113.77"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_walks_through_a_chain_of_trusted_proxies():
    assert client_address(_request("10.0.0.5", "203.0.113.77, 10.1.1.1")) == "203.0.113.77"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_it_stops_at_garbage_in_the_header():
    assert client_address(_request("10.0.0.5", "not-an-ip")) == "10.0.0.5"
