import pytest

from majlis.core.phone import InvalidMobile, mask_phone, normalize_mobile


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0501234567", "AE", "+971501234567"),
        ("971501234567", "AE", "+971501234567"),
        ("+971 50 123 4567", "AE", "+971501234567"),
        ("00971501234567", "AE", "+971501234567"),
        ("٠٥٠١٢٣٤٥٦٧", "AE", "+971501234567"),  # Arabic-Indic digits
        ("0551234567", "SA", "+966551234567"),
        ("966551234567", "SA", "+966551234567"),
        ("91234567", "OM", "+96891234567"),
        ("0791234567", "JO", "+962791234567"),
    ],
)
def test_it_normalises_the_forms_people_type(raw, region, expected):
    assert normalize_mobile(raw, region) == expected


@pytest.mark.parametrize("raw", ["", "abc", "12", "042345678", "+97142345678", "0501234"])
def test_it_refuses_what_is_not_a_mobile_number(raw):
    # 04… is a Dubai landline: no SMS reaches it.
    with pytest.raises(InvalidMobile):
        normalize_mobile(raw, "AE")


def test_it_masks_all_but_the_ends():
    assert mask_phone("+971501234587") == "+97150•••••87"
