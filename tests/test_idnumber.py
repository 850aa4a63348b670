from hypothesis import given
from hypothesis import strategies as st

from kiosk import idnumber

VALID = "11010519491231002X"   # GB 11643's own example


def test_known_number_is_valid() -> None:
    assert idnumber.is_valid(VALID)
    assert idnumber.check_digit(VALID[:17]) == "X"


def test_lower_case_x_and_full_width_digits_are_normalised() -> None:
    assert idnumber.is_valid(VALID.lower())
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in VALID)
    assert idnumber.is_valid(full_width)


def test_problems_are_named() -> None:
    assert idnumber.problem("12345") == "error.id_number.shape"
    assert idnumber.problem("110105194902300021") == "error.id_number.birth_date"
    assert idnumber.problem(VALID[:17] + "1") == "error.id_number.check_digit"


def test_mask_hides_birth_date() -> None:
    assert idnumber.mask(VALID) == "1101**********002X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_single_digit_change_is_caught(first17: str) -> None:
    number = first17 + idnumber.check_digit(first17)
    for position in range(17):
        digit = str((int(number[position]) + 1) % 10)
        changed = number[:position] + digit + number[position + 1:]
        assert idnumber.check_digit(changed[:17]) != changed[17]


@given(st.text())
def test_problem_never_raises(text: str) -> None:
    assert idnumber.problem(text) in (None, "error.id_number.shape", "error.id_number.birth_date",
                                      "error.id_number.check_digit")
