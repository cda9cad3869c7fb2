"""The page checker must catch what it promises to catch, or every page test is hollow."""

import pytest

from majlis.core.testing.pagecheck import check_page

GOOD = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>الخدمات · نجران</title></head>
<body><h1>الخدمات</h1><p>نص <bdi>MN-006</bdi></p><button lang="en">English</button>
<form><label for="u">الاسم</label><input id="u" name="u"><input type="hidden" name="t">
<label>كلمة السر <input type="password" name="p"></label><select aria-label="الفرع"></select></form>
<ul><li>أ<li>ب</ul></body></html>"""


def test_it_passes_a_correct_arabic_page():
    assert check_page(GOOD, language="ar") == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('lang="ar"', 'lang="en"'), 'lang="en">, expected "ar"'),
        (('dir="rtl"', 'dir="ltr"'), 'dir="ltr">, expected "rtl"'),
        (("<h1>الخدمات</h1>", "<h1>الخدمات</h1><h1>ثانٍ</h1>"), "2 h1 elements"),
        (("<h1>الخدمات</h1>", "<h1>غير ذلك</h1>"), "does not start with the h1"),
        (('<input id="u" name="u">', '<input id="u" name="u"><b id="u"></b>'), "duplicate ids: u"),
        (('<label for="u">الاسم</label>', ""), "<input id='u'> has no label"),
        (("<p>نص", "<div><p>نص"), "<div> not closed before </body>"),
        (("</form>", "</span></form>"), "end tag </span> without a start tag"),
        (("<h1>الخدمات</h1>", "<h1>الخدمات</h1><p>Next step</p>"), "untranslated text"),
        (('aria-label="الفرع"', 'aria-label="Branch"'), "untranslated text"),
    ],
)
def test_it_reports_each_kind_of_problem(change, expected):
    old, new = change
    assert old in GOOD
    problems = check_page(GOOD.replace(old, new), language="ar")
    assert any(expected in problem for problem in problems), problems


def test_it_does_not_scan_english_pages_for_latin_text():
    page = GOOD.replace('lang="ar" dir="rtl"', 'lang="en" dir="ltr"').replace(
        "<p>نص", "<p>Plain English"
    )
    assert check_page(page, language="en") == []
