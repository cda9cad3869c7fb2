from hypothesis import given
from hypothesis import strategies as st

from majlis.notifications.sms import sms_parts


def test_it_sends_latin_text_as_gsm7_in_160_and_153_character_parts():
    assert sms_parts("a" * 160) == ("GSM-7", 1)
    assert sms_parts("a" * 161) == ("GSM-7", 2)
    assert sms_parts("a" * 306) == ("GSM-7", 2)
    assert sms_parts("a" * 307) == ("GSM-7", 3)


def test_it_counts_gsm_extension_characters_twice():
    assert sms_parts("€" * 80) == ("GSM-7", 1)
    assert sms_parts("€" * 81) == ("GSM-7", 2)


def test_it_sends_arabic_as_ucs2_in_70_and_67_unit_parts():
    assert sms_parts("ر" * 70) == ("UCS-2", 1)
    assert sms_parts("ر" * 71) == ("UCS-2", 2)
    assert sms_parts("ر" * 134) == ("UCS-2", 2)
    assert sms_parts("ر" * 135) == ("UCS-2", 3)


def test_it_counts_characters_outside_the_basic_plane_as_two_units():
    assert sms_parts("😀" * 35) == ("UCS-2", 1)
    assert sms_parts("😀" * 36) == ("UCS-2", 2)


@given(st.text(max_size=600))
def test_it_never_needs_fewer_parts_than_the_text_demands(text):
    encoding, parts = sms_parts(text)
    per_part = (153 if parts > 1 else 160) if encoding == "GSM-7" else (67 if parts > 1 else 70)
    units = len(text.encode("utf-16-le")) // 2 if encoding == "UCS-2" else None
    if units is not None:
        assert parts * per_part >= units
    assert (parts == 0) == (text == "")
