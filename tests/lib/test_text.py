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
