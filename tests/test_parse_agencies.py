"""split_agencies: `;` always separates, `,` only where a new agency name opens."""

from __future__ import annotations

import pytest

from pipeline.parse.agencies import split_agencies


def test_semicolons_and_agency_commas_split_but_group_phrases_stay_whole() -> None:
    text = "Sở Tư pháp, Công an tỉnh; các sở, ban, ngành cấp tỉnh; UBND cấp huyện."
    assert split_agencies(text) == [
        "Sở Tư pháp",
        "Công an tỉnh",
        "các sở, ban, ngành cấp tỉnh",
        "UBND cấp huyện",
    ]


@pytest.mark.parametrize(
    "group",
    [
        "các sở, ban, ngành, đoàn thể",
        "các cơ quan, đơn vị liên quan",
        "Sở Văn hóa, Thể thao và Du lịch",
        "UBND các xã, phường, đặc khu",
    ],
)
def test_group_phrase_is_one_agency(group: str) -> None:
    assert split_agencies(group) == [group]


def test_name_with_inner_comma_is_kept_before_the_next_agency() -> None:
    assert split_agencies("Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Công an tỉnh",
    ]


def test_bulleted_list_in_one_cell_splits_and_drops_bullets_and_final_dot() -> None:
    assert split_agencies("- Sở Thông tin và Truyền thông; - Sở Nội vụ.") == [
        "Sở Thông tin và Truyền thông",
        "Sở Nội vụ",
    ]
    assert split_agencies("- Sở A\n- Sở B") == ["Sở A", "Sở B"]


def test_acronyms_open_new_agencies_and_wrapped_lines_join() -> None:
    assert split_agencies("VTV, VOV, TTXVN, các địa phương") == [
        "VTV",
        "VOV",
        "TTXVN",
        "các địa phương",
    ]
    assert split_agencies("Lãnh đạo / Sở Y tế") == ["Lãnh đạo Sở Y tế"]


@pytest.mark.parametrize("empty", ["", "   ", ";", " . "])
def test_empty_values_give_no_agencies(empty: str) -> None:
    assert split_agencies(empty) == []


def test_tone_placement_is_unified_only_in_open_syllables() -> None:
    from pipeline.parse.canon import normalize_tones

    assert normalize_tones("Văn hoá, Uỷ ban, thuỷ lợi") == "Văn hóa, Ủy ban, thủy lợi"
    # a final consonant keeps the mark on the second vowel in both styles; `qu` is a consonant
    assert (
        normalize_tones("Sở Kế hoạch và Đầu tư, Đoàn TN, quý")
        == "Sở Kế hoạch và Đầu tư, Đoàn TN, quý"
    )
