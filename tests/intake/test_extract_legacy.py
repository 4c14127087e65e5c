"""TCVN3 (ABC) and VNI text turned into Unicode (intake/legacy.py)."""

import unicodedata

import pytest

from intake.legacy import (
    legacy_convert,
    legacy_detect,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)

TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")
# Every Vietnamese letter with every tone, lower case: 12 vowels × 6 tones, and đ.
ALPHABET = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES] + ["đ"]

# The national motto as Vietnamese offices typed it before Unicode, written out by hand.
MOTTO = "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Ủy ban nhân dân tỉnh"
# .VnTime has no capital Ủ: typists wrote «Uỷ».
MOTTO_TCVN3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Uû ban nh©n d©n tØnh"
MOTTO_FROM_TCVN3 = MOTTO.replace("Ủy", "Uỷ")
MOTTO_VNI = "Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc. UÛy ban nhaân daân tænh"
TITLE_VNI = "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM"


def test_tcvn3_hand_written_motto_converts():
    assert tcvn3_to_unicode(MOTTO_TCVN3) == MOTTO_FROM_TCVN3


def test_vni_hand_written_motto_and_capitals_convert():
    assert vni_to_unicode(MOTTO_VNI) == MOTTO
    assert vni_to_unicode(TITLE_VNI) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert vni_to_unicode("Nguyeãn Vaên Ñöôïc, ngöôøi höôùng daãn") == "Nguyễn Văn Được, người hướng dẫn"


def test_tcvn3_round_trips_every_letter_with_every_tone():
    word = "".join(ALPHABET)
    encoded = unicode_to_tcvn3(word)
    assert all(ord(ch) < 0x100 for ch in encoded)
    assert len(encoded) == len(word)  # one byte per letter
    assert len(set(encoded)) == len(ALPHABET)  # no two letters share a byte
    assert tcvn3_to_unicode(encoded) == word


def test_tcvn3_capitals_are_its_seven_bytes_or_an_upper_case_font():
    assert tcvn3_to_unicode("\xa1\xa2\xa3\xa4\xa5\xa6\xa7") == "ĂÂÊÔƠƯĐ"
    # In .VnTimeH every byte is drawn as a capital.
    for letter in ALPHABET:
        assert tcvn3_to_unicode(unicode_to_tcvn3(letter), upper=True) == letter.upper()
    assert tcvn3_to_unicode("céng hoµ", upper=True) == "CỘNG HOÀ"


@pytest.mark.parametrize("case", [str.lower, str.upper])
def test_vni_round_trips_every_letter_with_every_tone_in_both_cases(case):
    letters = [case(letter) for letter in ALPHABET]
    encoded = [unicode_to_vni(letter) for letter in letters]
    assert all(ord(ch) < 0x100 for spelling in encoded for ch in spelling)
    assert len(set(encoded)) == len(letters)
    # Each letter alone, and all of them run together (the spellings must not swallow each other).
    assert [vni_to_unicode(spelling) for spelling in encoded] == letters
    assert vni_to_unicode("".join(encoded)) == "".join(letters)


def test_vni_spells_a_tone_and_a_hat_as_one_byte_after_the_base():
    assert unicode_to_vni("ậ") == "aä"
    assert unicode_to_vni("ắ") == "aé"
    assert unicode_to_vni("ờ") == "ôø"
    assert unicode_to_vni("ỵ") == "î"


def test_detection_names_each_encoding():
    assert legacy_detect(MOTTO_TCVN3) == "tcvn3"
    assert legacy_detect(MOTTO_VNI) == "vni"
    assert legacy_detect(TITLE_VNI + " " + MOTTO_VNI) == "vni"


@pytest.mark.parametrize(
    "text",
    [
        MOTTO,
        unicodedata.normalize("NFD", MOTTO),  # decomposed Unicode is still Unicode
        "The Department of Science and Technology reviews every task assigned this year, item by item.",
        "Le café de la gare est fermé à cause de la grève; élève, très, à côté, où, naïve, père.",
        "Die Prüfung wird für alle Schüler übernächste Woche in Köln stattfinden, schöne Grüße.",
        "Số: 336/TB-SKHCN ngày 05/01/2021; Kính gửi: các phòng, đơn vị thuộc Sở",
        "12345 ---- ==== 2020/2021 ...... ",
    ],
)
def test_detection_never_fires_on_unicode_vietnamese_english_or_other_latin_text(text):
    assert legacy_detect(text) is None


def test_unicode_vietnamese_with_a_few_stray_latin1_letters_is_left_alone():
    text = MOTTO + " Café à Huế, résumé."
    assert legacy_detect(text) is None


def test_conversion_counts_what_it_could_not_map():
    clean = legacy_convert(MOTTO_TCVN3, "tcvn3")
    assert clean.text == MOTTO_FROM_TCVN3
    assert clean.unknown == 0
    # 0xC0–0xC5 have no letter in TCVN3: a text full of them is not TCVN3 after all.
    garbled = legacy_convert("Céng hoµ \xc0\xc1\xc2\xc3 x· héi \xc4\xc5", "tcvn3")
    assert garbled.unknown == 6
    assert garbled.unknown_share > 0.2
    stray = legacy_convert("Coäng hoøa xù", "vni")  # a tone byte after a consonant
    assert stray.unknown == 1
