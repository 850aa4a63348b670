"""MRZ parsing against ICAO 9303's specimen documents (UTOPIA, ERIKSSON ANNA MARIA), with every
check digit broken in turn, arbitrary text, and a reader's byte stream cut anywhere."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices import mrz
from kiosk.identity import CardType, Identity, Sex
from kiosk.outcome import Outcome

TODAY = dt.date(2026, 11, 25)

# Doc 9303 part 4 (passport), part 6 (TD2 card) and part 5 (TD1 card, one with a 12-character number)
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
       "D231458907UTO7408122F1204159<<<<<<<6"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<",
       "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD1_LONG_NUMBER = ["I<UTOD23145890<7349<<<<<<<<<<<",
                   "3407127M9507122UTO<<<<<<<<<<<2",
                   "STEVENSON<<PETER<JOHN<<<<<<<<<"]

ANNA = Identity(name="ERIKSSON, ANNA MARIA", english_name="ERIKSSON, ANNA MARIA", sex=Sex.FEMALE,
                birth_date=dt.date(1974, 8, 12), id_number="L898902C3", card_type=CardType.PASSPORT, nation="UTO",
                authority="UTO", valid_to=dt.date(2012, 4, 15))


def parse(lines: list[str]) -> Outcome[Identity]:
    return mrz.parse("\n".join(lines), TODAY)


def permit_line(number: str = "CA1234567", expiry: str = "300214", birth: str = "950817", code: str = "CS") -> str:
    """The one-line MRZ of 往来港澳通行证 (CS) as a reader app lays it out; digits computed here."""
    digit = mrz.check_digit
    body = f"{number}{digit(number)}<{expiry}{digit(expiry)}<{birth}{digit(birth)}<"
    return code + body + digit(body[:10] + body[11:18] + body[19:26])


@pytest.mark.parametrize("field, digit", [("L898902C3", "6"), ("740812", "2"), ("120415", "9"),
                                          ("ZE184226B<<<<<", "1"), ("D23145890", "7"), ("<<<", "0")])
def test_check_digits_of_the_specimens(field: str, digit: str) -> None:
    assert mrz.check_digit(field) == digit


def test_the_td3_passport_specimen() -> None:
    outcome = parse(TD3)
    assert outcome.ok, outcome.detail
    assert outcome.value == ANNA


@pytest.mark.parametrize("lines, number", [(TD2, "D23145890"), (TD1, "D23145890")])
def test_the_td1_and_td2_card_specimens(lines: list[str], number: str) -> None:
    outcome = parse(lines)
    assert outcome.ok, outcome.detail
    assert outcome.value is not None
    assert (outcome.value.name, outcome.value.id_number, outcome.value.birth_date, outcome.value.valid_to) == \
        (ANNA.name, number, ANNA.birth_date, ANNA.valid_to)


def test_a_td1_number_longer_than_nine_continues_in_the_optional_data() -> None:
    outcome = parse(TD1_LONG_NUMBER)
    assert outcome.ok, outcome.detail
    assert outcome.value is not None
    assert (outcome.value.id_number, outcome.value.name, outcome.value.sex) == \
        ("D23145890734", "STEVENSON, PETER JOHN", Sex.MALE)
    # 95 would be 2095, more than fifty years ahead: this card expired in 1995
    assert (outcome.value.birth_date, outcome.value.valid_to) == (dt.date(1934, 7, 12), dt.date(1995, 7, 12))


def test_a_reader_that_sends_no_line_breaks() -> None:
    assert mrz.parse("".join(TD3), TODAY).value == ANNA
    assert mrz.parse(" \r\n".join(TD3) + "\r\n", TODAY).value == ANNA


def test_the_exit_entry_permit_line_has_number_and_dates_but_no_name() -> None:
    outcome = mrz.parse(permit_line(), TODAY)
    assert outcome.ok, outcome.detail
    identity = outcome.value
    assert identity is not None
    assert (identity.id_number, identity.birth_date, identity.valid_to, identity.nation) == \
        ("CA1234567", dt.date(1995, 8, 17), dt.date(2030, 2, 14), "CHN")
    assert (identity.name, identity.sex) == ("", Sex.UNSPECIFIED)


@pytest.mark.parametrize("position, what", [(9, "document number"), (19, "birth date"), (27, "expiry date"),
                                            (42, "personal number"), (43, "composite")])
def test_each_wrong_check_digit_is_named(position: int, what: str) -> None:
    line = TD3[1]
    wrong = str((int(line[position]) + 1) % 10)
    outcome = parse([TD3[0], line[:position] + wrong + line[position + 1:]])
    assert (outcome.problem, outcome.detail) == (mrz.UNREADABLE, f"check digit: {what}")


def test_a_wrong_permit_digit_is_caught() -> None:
    line = permit_line()
    assert mrz.parse(line[:-1] + str((int(line[-1]) + 1) % 10), TODAY).detail == "check digit: composite"


@pytest.mark.parametrize("lines, detail", [
    ([], "characters"),
    ([TD3[0].lower(), TD3[1]], "characters"),
    (["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<1"], "2 line(s)"),
    ([TD1[0], TD1[1]], "2 line(s) of 30/30"),
    ([TD3[1], TD3[0]], "check digit"),
    (["中华人民共和国"], "characters"),
])
def test_the_wrong_shape_is_unreadable(lines: list[str], detail: str) -> None:
    outcome = parse(lines)
    assert outcome.problem == mrz.UNREADABLE and detail in outcome.detail


def test_a_visa_is_not_an_identity() -> None:
    visa = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
    assert parse(visa).problem == mrz.UNSUPPORTED


def passport(birth: str = "740812", sex: str = "F", expiry: str = "120415") -> list[str]:
    """The specimen passport with other fields, its check digits recomputed."""
    digit = mrz.check_digit
    line = f"L898902C36UTO{birth}{digit(birth)}{sex}{expiry}{digit(expiry)}ZE184226B<<<<<1"
    return [TD3[0], line + digit(line[0:10] + line[13:20] + line[21:43])]


@pytest.mark.parametrize("birth, expiry, born, expires", [
    ("740812", "120415", dt.date(1974, 8, 12), dt.date(2012, 4, 15)),
    ("150101", "350101", dt.date(2015, 1, 1), dt.date(2035, 1, 1)),
    ("261125", "761231", dt.date(2026, 11, 25), dt.date(2076, 12, 31)),     # born today; fifty years on
    ("261126", "770101", dt.date(1926, 11, 26), dt.date(1977, 1, 1)),
])
def test_two_digit_years(birth: str, expiry: str, born: dt.date, expires: dt.date) -> None:
    identity = parse(passport(birth=birth, expiry=expiry)).value
    assert identity is not None
    assert (identity.birth_date, identity.valid_to) == (born, expires)


@pytest.mark.parametrize("sex, expected", [("M", Sex.MALE), ("F", Sex.FEMALE), ("<", Sex.UNSPECIFIED),
                                           ("X", Sex.UNSPECIFIED)])
def test_sex(sex: str, expected: Sex) -> None:
    identity = parse(passport(sex=sex)).value
    assert identity is not None and identity.sex is expected


@pytest.mark.parametrize("lines, detail", [(passport(birth="741312"), "birth date"),
                                           (passport(expiry="120230"), "expiry date"),
                                           (passport(sex="Q"), "sex")])
def test_impossible_fields_with_good_check_digits(lines: list[str], detail: str) -> None:
    assert (parse(lines).problem, parse(lines).detail) == (mrz.UNREADABLE, detail)


@given(st.text(max_size=200))
def test_any_text_gives_an_outcome(text: str) -> None:
    assert isinstance(mrz.parse(text, TODAY), Outcome)


mrz_lines = st.sampled_from([30, 36, 44]).flatmap(
    lambda width: st.lists(st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", min_size=width, max_size=width),
                           min_size=1, max_size=3))


@given(mrz_lines)
def test_lines_of_mrz_width_give_an_outcome(lines: list[str]) -> None:
    assert isinstance(parse(lines), Outcome)


# the digits of the specimen's document number, birth date, expiry date and personal number
checked_digits = [p for start, end in ((0, 9), (13, 19), (21, 27), (28, 42)) for p in range(start, end)
                  if TD3[1][p].isdigit()]


@given(st.sampled_from(checked_digits), st.integers(1, 9))
def test_any_changed_digit_in_a_checked_field_is_caught(position: int, change: int) -> None:
    line = TD3[1]
    changed = line[:position] + str((int(line[position]) + change) % 10) + line[position + 1:]
    assert parse([TD3[0], changed]).problem == mrz.UNREADABLE


# -- a reader's byte stream --------------------------------------------------------------------------

def stream(*documents: list[str], end: str = "\r\n") -> bytes:
    return "".join(line + end for lines in documents for line in lines).encode()


@given(st.lists(st.integers(1, 40), max_size=20), st.sampled_from(["\r", "\n", "\r\n"]))
def test_documents_come_out_whole_however_the_bytes_are_cut(cuts: list[int], end: str) -> None:
    data = stream(TD3, TD1, [permit_line()], TD2, end=end)
    assembler = mrz.LineAssembler(lambda: TODAY)
    results = []
    for size in [*cuts, len(data)]:
        results += assembler.feed(data[:size])
        data = data[size:]
    assert [r.ok for r in results] == [True] * 4
    assert [r.value.id_number for r in results if r.value] == ["L898902C3", "D23145890", "CA1234567", "D23145890"]


def test_a_lost_first_line_costs_one_document_not_the_next() -> None:
    assembler = mrz.LineAssembler(lambda: TODAY)
    assert [r.detail for r in assembler.feed(stream(TD3[1:]))] == ["a second line without its first"]
    assert [r.value for r in assembler.feed(stream(TD3))] == [ANNA]
    assert assembler.feed(stream(TD3[:1])) == []
    assert [r.value for r in assembler.feed(stream(TD3))] == [ANNA]     # the unfinished one is dropped


def test_a_line_of_no_mrz_width_is_reported_at_once() -> None:
    assembler = mrz.LineAssembler(lambda: TODAY)
    [result] = assembler.feed(b"HELLO\r\n")
    assert (result.problem, result.detail) == (mrz.UNREADABLE, "a line of 5 characters")
    [result] = assembler.feed(b"x" * 100)
    assert result.problem == mrz.UNREADABLE and "no line break" in result.detail


@given(st.binary(max_size=300))
def test_any_bytes_are_taken_without_raising(data: bytes) -> None:
    assembler = mrz.LineAssembler(lambda: TODAY)
    assert all(isinstance(result, Outcome) for result in assembler.feed(data) + assembler.feed(stream(TD3)))
