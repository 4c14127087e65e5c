import pytest

from lib.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cách ly", "cach ly"),
        ("ĐÍNH CHÍNH", "dinh chinh"),
        ("đính chính", "dinh chinh"),
        ("Phòng  Quản lý\nKhoa học", "phong quan ly khoa hoc"),
        ("Thượng khẩn", "thuong khan"),
        ("336/TB-SKHCN", "336/tb-skhcn"),
        ("", ""),
    ],
)
def test_fold_ignores_diacritics_case_and_spacing(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_and_composed_forms_alike():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Quyết định")) == fold("Quyết định") == "quyet dinh"


def test_shorten_keeps_text_that_fits():
    from lib.text import shorten

    assert shorten("Rà soát  đề tài\nchậm tiến độ", 100) == "Rà soát đề tài chậm tiến độ"


def test_shorten_never_cuts_a_vietnamese_word():
    """The notice that read «…trong giải quy» cut "quyết" in two; the cut falls before it."""
    from lib.text import shorten

    text = "Tăng cường đôn đốc các phòng, đơn vị trong giải quyết hồ sơ của tổ chức, công dân"
    limit = len("Tăng cường đôn đốc các phòng, đơn vị trong giải quy")
    short = shorten(text, limit)
    assert short == "Tăng cường đôn đốc các phòng, đơn vị trong giải…"
    assert len(short) <= limit


@pytest.mark.parametrize("limit", range(2, 60))
def test_shorten_ends_with_an_ellipsis_after_a_whole_word(limit):
    from lib.text import shorten

    text = "Phòng Quản lý Khoa học rà soát các đề tài chậm tiến độ, đề xuất biện pháp xử lý."
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short.endswith("…")
    kept = short[:-1]
    assert text.startswith(kept)
    assert text[len(kept)] in " ,." or len(text.split()[0]) >= limit


def test_shorten_does_not_split_decomposed_diacritics():
    import unicodedata

    from lib.text import shorten

    short = shorten(unicodedata.normalize("NFD", "Quyết định giao nhiệm vụ năm 2027"), 16)
    assert short == "Quyết định giao…"
