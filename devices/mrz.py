"""Machine-readable zones of passports and travel permits (ICAO 9303 TD1, TD2, TD3, and the one-line
MRZ of China's exit-entry permits), checked digit by digit and turned into Identity values.

Written here rather than taken from PyPI: `mrz` and its fork `mrz-surepass` are GPL-3 (and `mrz` has
not been released since 2020), PassportEye's MIT parser cannot be installed without scikit-image,
scikit-learn, matplotlib and Tesseract bindings, and the rest are OCR front ends or single releases
years old. The layouts are a few slices each (Doc 9303 parts 4-6); the check digits catch a wrong one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from kiosk.identity import CardType, Identity, Sex
from kiosk.outcome import Outcome

UNREADABLE = "mrz.unreadable"       # wrong shape, characters, dates or check digits: place it again
UNSUPPORTED = "mrz.unsupported"     # a visa or another document that does not identify its holder

_VALUES = {c: v for v, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {"<": 0}
_LINE = re.compile(r"[0-9A-Z<]+")
_WEIGHTS = (7, 3, 1)
# the one-line MRZ on the back of 往来港澳通行证 (CS) and 大陆居民往来台湾通行证 (CD); its layout is
# taken from a reader app's parser, not from a published specification (unverified on real permits)
_PERMIT_CODES = ("CS", "CD")
_PERMIT_LINE = re.compile(r"C[SD][0-9A-Z<]{9}[0-9]<[0-9]{7}<[0-9]{7}<[0-9]")
_SEXES = {"M": Sex.MALE, "F": Sex.FEMALE, "<": Sex.UNSPECIFIED, "X": Sex.UNSPECIFIED}
# an expiry date's two-digit year is read in the century that puts it at most this many years ahead
_EXPIRY_HORIZON_YEARS = 50


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1 over 0-9, A=10 ... Z=35, <=0, sum modulo 10."""
    return str(sum(_VALUES[c] * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


class _Bad(Exception):
    """Carries a failure key and detail out of the slicing helpers; never leaves this module."""

    def __init__(self, problem: str, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem


@dataclasses.dataclass(frozen=True)
class _Zone:
    """The fields every supported layout has, still as MRZ text."""

    code: str
    issuer: str
    number: str
    birth: str
    sex: str
    expiry: str
    nationality: str
    names: str
    checks: tuple[tuple[str, str, str], ...]    # (what, data, digit)


def parse(text: str, today: dt.date | None = None) -> Outcome[Identity]:
    """The identity in an MRZ as a reader sends it (lines split by any whitespace), or why not.

    today decides the century of two-digit years; it defaults to the system date.
    """
    today = today or dt.date.today()
    try:
        zone = _zone(_lines(text))
        for what, data, digit in zone.checks:
            if check_digit(data) != digit:
                raise _Bad(UNREADABLE, f"check digit: {what}")
        return Outcome.success(_identity(zone, today))
    except _Bad as bad:
        return Outcome.failure(bad.problem, str(bad))


def _lines(text: str) -> list[str]:
    lines = text.split()
    if len(lines) == 1 and len(lines[0]) in (72, 88, 90):      # a reader that sends no line breaks
        width = 30 if len(lines[0]) == 90 else len(lines[0]) // 2
        lines = [lines[0][i:i + width] for i in range(0, len(lines[0]), width)]
    if not lines or not all(_LINE.fullmatch(line) for line in lines):
        raise _Bad(UNREADABLE, "characters outside 0-9, A-Z and <")
    return lines


def _zone(lines: list[str]) -> _Zone:
    shape = (len(lines), len(lines[0]), len(set(map(len, lines))))
    if lines[0].startswith("V") and shape in ((2, 44, 1), (2, 36, 1)):
        raise _Bad(UNSUPPORTED, "a visa")
    if shape == (2, 44, 1):
        return _td3(*lines)
    if shape == (2, 36, 1):
        return _td2(*lines)
    if shape == (3, 30, 1):
        return _td1(*lines)
    if len(lines) == 1 and _PERMIT_LINE.fullmatch(lines[0]):
        return _permit(lines[0])
    raise _Bad(UNREADABLE, f"{len(lines)} line(s) of {'/'.join(str(len(line)) for line in lines)} characters")


def _td3(a: str, b: str) -> _Zone:
    checks = [("document number", b[0:9], b[9]), ("birth date", b[13:19], b[19]), ("expiry date", b[21:27], b[27])]
    if b[42] != "<" or b[28:42].strip("<"):     # an unused personal number may have < as its digit
        checks.append(("personal number", b[28:42], b[42]))
    checks.append(("composite", b[0:10] + b[13:20] + b[21:43], b[43]))
    return _Zone(a[0:2], a[2:5], b[0:9], b[13:19], b[20], b[21:27], b[10:13], a[5:44], tuple(checks))


def _td2(a: str, b: str) -> _Zone:
    number, number_check = _long_number(b[0:9], b[9], b[28:35])
    checks = (("document number", number, number_check), ("birth date", b[13:19], b[19]),
              ("expiry date", b[21:27], b[27]), ("composite", b[0:10] + b[13:20] + b[21:35], b[35]))
    return _Zone(a[0:2], a[2:5], number, b[13:19], b[20], b[21:27], b[10:13], a[5:36], checks)


def _td1(a: str, b: str, c: str) -> _Zone:
    number, number_check = _long_number(a[5:14], a[14], a[15:30])
    checks = (("document number", number, number_check), ("birth date", b[0:6], b[6]),
              ("expiry date", b[8:14], b[14]), ("composite", a[5:30] + b[0:7] + b[8:15] + b[18:29], b[29]))
    return _Zone(a[0:2], a[2:5], number, b[0:6], b[7], b[8:14], b[15:18], c, checks)


def _permit(a: str) -> _Zone:
    """Code, number, digit, <, expiry, digit, <, birth, digit, <, composite: no name and no sex."""
    checks = (("document number", a[2:11], a[11]), ("expiry date", a[13:19], a[19]),
              ("birth date", a[21:27], a[27]), ("composite", a[2:12] + a[13:20] + a[21:28], a[29]))
    return _Zone(a[0:2], "CHN", a[2:11], a[21:27], "<", a[13:19], "CHN", "", checks)


def _long_number(principal: str, digit: str, optional: str) -> tuple[str, str]:
    """A TD1/TD2 number longer than 9 goes on in the optional data, its check digit last: Doc 9303."""
    if digit != "<" or principal.endswith("<"):
        return principal, digit
    rest = optional.split("<", 1)[0]
    if not rest:
        raise _Bad(UNREADABLE, "document number continues nowhere")
    return principal + rest[:-1], rest[-1]


def _identity(zone: _Zone, today: dt.date) -> Identity:
    if zone.sex not in _SEXES:
        raise _Bad(UNREADABLE, "sex")
    number = zone.number.strip("<")
    if not number or "<" in number:
        raise _Bad(UNREADABLE, "document number")
    surname, _, given = zone.names.partition("<<")
    surname, given = " ".join(surname.split("<")).strip(), " ".join(given.replace("<", " ").split())
    if zone.code not in _PERMIT_CODES and not surname:
        raise _Bad(UNREADABLE, "name")
    english = f"{surname}, {given}" if given else surname
    horizon = dt.date(today.year + _EXPIRY_HORIZON_YEARS, 12, 31)
    return Identity(
        # an MRZ holds the Latin-script name only; the kiosk greets the holder by it
        name=english, english_name=english, sex=_SEXES[zone.sex], id_number=number,
        birth_date=_date(zone.birth, today, "birth date"), valid_to=_date(zone.expiry, horizon, "expiry date"),
        card_type=CardType.PASSPORT, nation=zone.nationality.strip("<"), authority=zone.issuer.strip("<"),
    )


def _date(yymmdd: str, latest: dt.date, what: str) -> dt.date:
    """A YYMMDD date in the later of its two possible centuries that is not after latest."""
    if not yymmdd.isdigit():
        raise _Bad(UNREADABLE, what)
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    try:
        date = dt.date(2000 + year, month, day)
        return date if date <= latest else dt.date(1900 + year, month, day)
    except ValueError:
        raise _Bad(UNREADABLE, what) from None


class LineAssembler:
    """Turns what an MRZ reader sends (lines ended by CR and/or LF, in any chunks) into documents.

    Serial and keyboard-wedge document readers send the lines of one document back to back. A line
    is placed by its look, not by counting, so a line lost in transit costs one document, never the
    alignment of the next: the second line of every layout has digits where dates go, the others
    never do. A line of no MRZ width is reported at once. Nothing fed here raises.
    """

    _MAX_LINE = 64

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._today = today
        self._buffer = bytearray()
        self._lines: list[str] = []     # the document so far

    def feed(self, chunk: bytes) -> list[Outcome[Identity]]:
        self._buffer += chunk
        results: list[Outcome[Identity]] = []
        while (end := re.search(rb"[\r\n]", self._buffer)) is not None:
            raw, self._buffer = bytes(self._buffer[:end.start()]), self._buffer[end.end():]
            results.extend(self._line(raw.decode("ascii", "replace").strip()))
        if len(self._buffer) > self._MAX_LINE:     # no line ending in sight: noise, not a reader
            self._buffer.clear()
            self._lines.clear()
            results.append(Outcome.failure(UNREADABLE, f"no line break within {self._MAX_LINE} bytes"))
        return results

    def _line(self, line: str) -> list[Outcome[Identity]]:
        if not line:
            return []
        if len(line) not in (30, 36, 44):
            self._lines.clear()
            return [Outcome.failure(UNREADABLE, f"a line of {len(line)} characters")]
        if _PERMIT_LINE.fullmatch(line):
            self._lines.clear()
            return [parse(line, self._today())]
        if self._lines and len(self._lines[0]) != len(line):
            self._lines.clear()                     # another width: an unfinished document is dropped
        dates = (line[0:7] + line[8:15]) if len(line) == 30 else line[13:20]
        if dates.isdigit():
            if len(self._lines) != 1:
                self._lines.clear()
                return [Outcome.failure(UNREADABLE, "a second line without its first")]
            self._lines.append(line)
        elif len(self._lines) == 2:
            self._lines.append(line)                # the names of a TD1 card
        else:
            self._lines = [line]
        if len(self._lines) < (3 if len(line) == 30 else 2):
            return []
        lines, self._lines = self._lines, []
        return [parse("\n".join(lines), self._today())]
