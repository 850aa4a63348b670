"""GA/T 467 SAM serial protocol as pure bytes: frames, an incremental decoder, the text block.

No I/O here, so the driver, the simulator and the property tests all run the same code.
Layouts are those of /work/shared/reference/devices.md ("Resident ID-card reader").
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import operator
from collections.abc import Callable
from typing import Generic, TypeVar

from kiosk import idnumber
from kiosk.identity import CardType, Identity, Sex

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
# The largest reply (text + photo + fingerprint) is about 2.3 KiB; anything longer is noise.
MAX_LENGTH = 4096
TEXT_SIZE = 256
PHOTO_SIZE = 1024
BLANK_PHOTO = bytes(PHOTO_SIZE)
LONG_TERM = "长期"


class Command(enum.Enum):
    """CMD PARA of the requests Kiosk24 sends (the protocol has more: reset, SAM id, fingerprint)."""

    SAM_STATUS = b"\x11\xff"
    FIND_CARD = b"\x20\x01"
    SELECT_CARD = b"\x20\x02"
    READ_BASE_INFO = b"\x30\x01"


class Status(enum.IntEnum):
    """SW3 of a reply."""

    SUCCESS = 0x90
    CARD_FOUND = 0x9F
    NO_CARD = 0x80
    SELECT_FAILED = 0x81
    READ_FAILED = 0x41
    REQUEST_CHECKSUM = 0x10
    REQUEST_LENGTH = 0x11
    UNKNOWN_COMMAND = 0x21


class FrameError(enum.Enum):
    """Why bytes that started like a frame were not one."""

    BAD_CHECKSUM = "bad_checksum"
    BAD_LENGTH = "bad_length"       # declared length too short for the header, or oversized
    TRUNCATED = "truncated"         # the input stopped before the declared length


@dataclasses.dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""


@dataclasses.dataclass(frozen=True)
class Request:
    command: bytes          # CMD PARA; not a Command, so an unknown one can still be answered
    data: bytes = b""


def checksum(data: bytes) -> int:
    return functools.reduce(operator.xor, data, 0)


def frame(body: bytes) -> bytes:
    """Preamble, big-endian length (body + checksum), body, XOR checksum from the length on."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([checksum(length + body)])


def request(command: Command, data: bytes = b"") -> bytes:
    return frame(command.value + data)


def reply(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return frame(bytes([sw1, sw2, sw3]) + data)


T = TypeVar("T")


class _Deframer(Generic[T]):
    """Cuts frames out of a byte stream fed in arbitrary chunks.

    Garbage before a preamble is dropped. A frame that fails (length, checksum, truncation) is
    reported and scanning resumes one byte after its preamble, so a real frame hidden inside a
    broken one is still found. Nothing fed here ever raises.
    """

    _MIN_BODY = 0

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> list[T | FrameError]:
        self._buffer += chunk
        found: list[T | FrameError] = []
        while (item := self._next()) is not None:
            found.append(item)
        return found

    def end(self) -> list[T | FrameError]:
        """The input stopped (a timeout): a frame still waiting for bytes is truncated."""
        found: list[T | FrameError] = []
        while self._buffer.startswith(PREAMBLE):
            del self._buffer[:1]
            found.append(FrameError.TRUNCATED)
            found.extend(self.feed(b""))
        self._buffer.clear()
        return found

    def _next(self) -> T | FrameError | None:
        start = self._buffer.find(PREAMBLE)
        if start < 0:
            # keep a tail that may be the start of a preamble split across chunks
            del self._buffer[:max(0, len(self._buffer) - len(PREAMBLE) + 1)]
            return None
        del self._buffer[:start]
        if len(self._buffer) < 7:
            return None
        length = int.from_bytes(self._buffer[5:7], "big")
        if not self._MIN_BODY + 1 <= length <= MAX_LENGTH:
            del self._buffer[:1]
            return FrameError.BAD_LENGTH
        if len(self._buffer) < 7 + length:
            return None
        whole = bytes(self._buffer[:7 + length])
        if checksum(whole[5:-1]) != whole[-1]:
            del self._buffer[:1]
            return FrameError.BAD_CHECKSUM
        del self._buffer[:7 + length]
        return self._parse(whole[7:-1])

    def _parse(self, body: bytes) -> T:
        raise NotImplementedError


class ReplyDecoder(_Deframer[Reply]):
    """What the driver reads: SW1 SW2 SW3 [data]."""

    _MIN_BODY = 3

    def _parse(self, body: bytes) -> Reply:
        return Reply(body[0], body[1], body[2], body[3:])


class RequestDecoder(_Deframer[Request]):
    """What the simulator reads: CMD PARA [data]."""

    _MIN_BODY = 2

    def _parse(self, body: bytes) -> Request:
        return Request(body[:2], body[2:])


def base_info(text: bytes, photo: bytes) -> bytes:
    """The data of a read-base-information reply: both lengths, then text and photo."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo


def split_base_info(data: bytes) -> tuple[bytes, bytes] | None:
    """(text, photo) from a read-base-information reply, or None if the lengths do not add up."""
    if len(data) < 4:
        return None
    text_length, photo_length = int.from_bytes(data[:2], "big"), int.from_bytes(data[2:4], "big")
    if text_length != TEXT_SIZE or len(data) != 4 + text_length + photo_length:
        return None
    return data[4:4 + text_length], data[4 + text_length:]


# -- the 256-byte text block ----------------------------------------------------------------------

class TextProblem(enum.Enum):
    """Why a text block is not a usable identity: technician detail behind "idcard.bad_card"."""

    LENGTH = "length"
    ENCODING = "encoding"
    CARD_TYPE = "card_type"
    NAME = "name"
    SEX = "sex"
    DATE = "date"
    PERMIT_NUMBER = "permit_number"
    ID_SHAPE = "id_number.shape"
    ID_BIRTH_DATE = "id_number.birth_date"
    ID_CHECK_DIGIT = "id_number.check_digit"


_ID_PROBLEMS = {
    "error.id_number.shape": TextProblem.ID_SHAPE,
    "error.id_number.birth_date": TextProblem.ID_BIRTH_DATE,
    "error.id_number.check_digit": TextProblem.ID_CHECK_DIGIT,
}

# (byte offset, byte length) of each field
_RESIDENT = {
    "name": (0, 30), "sex": (30, 2), "nation": (32, 4), "birth": (36, 16), "address": (52, 70),
    "number": (122, 36), "authority": (158, 30), "valid_from": (188, 16), "valid_to": (204, 16),
}
_FOREIGN = {
    "english_name": (0, 120), "sex": (120, 2), "number": (122, 30), "nationality": (152, 6),
    "name": (158, 30), "valid_from": (188, 16), "valid_to": (204, 16), "birth": (220, 16),
    "authority": (240, 8),
}
_MARKER = (248, 2)
_MARKERS = {" ": CardType.RESIDENT, "J": CardType.HMT_RESIDENCE,
            # Y is the 2023 card; its layout is unverified and read here as the old one (I)
            "I": CardType.FOREIGN_PERMANENT, "Y": CardType.FOREIGN_PERMANENT}


class _Bad(Exception):
    """Carries a TextProblem out of the field helpers; never leaves this module."""

    def __init__(self, problem: TextProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def decode_text(text: bytes, photo: bytes = b"") -> Identity | TextProblem:
    """The identity in a card's text block, or the named reason it cannot be one."""
    if len(text) != TEXT_SIZE:
        return TextProblem.LENGTH

    def field(span: tuple[int, int]) -> str:
        # fields are decoded one by one: offsets count UCS-2 units, never decoded characters
        return text[span[0]:span[0] + span[1]].decode("utf-16-le").strip(" \x00")

    try:
        card_type = _MARKERS.get(field(_MARKER) or " ")
        if card_type is None:
            return TextProblem.CARD_TYPE
        if card_type is CardType.FOREIGN_PERMANENT:
            return _foreign(field, photo)
        return _resident(field, card_type, photo)
    except UnicodeDecodeError:
        return TextProblem.ENCODING
    except _Bad as bad:
        return bad.problem


def _resident(field: Callable[[tuple[int, int]], str], card_type: CardType, photo: bytes) -> Identity:
    f = {name: field(span) for name, span in _RESIDENT.items()}
    number = idnumber.normalise(f["number"])
    problem = idnumber.problem(number)
    if problem is not None:
        raise _Bad(_ID_PROBLEMS[problem])
    return Identity(
        name=_name(f["name"]), sex=_sex(f["sex"]), birth_date=_date(f["birth"]), id_number=number,
        card_type=card_type, nation=f["nation"], address=f["address"], authority=f["authority"],
        valid_from=_date(f["valid_from"]), valid_to=_valid_to(f["valid_to"]), photo=photo,
    )


def _foreign(field: Callable[[tuple[int, int]], str], photo: bytes) -> Identity:
    f = {name: field(span) for name, span in _FOREIGN.items()}
    if not (f["number"].isascii() and f["number"].isalnum()):
        raise _Bad(TextProblem.PERMIT_NUMBER)
    english = f["english_name"]
    return Identity(
        # many holders have no Chinese name; the English one is then the name to greet them by
        name=_name(f["name"] or english), sex=_sex(f["sex"]), birth_date=_date(f["birth"]),
        id_number=f["number"].upper(), card_type=CardType.FOREIGN_PERMANENT, nation=f["nationality"],
        authority=f["authority"], valid_from=_date(f["valid_from"]), valid_to=_valid_to(f["valid_to"]),
        photo=photo, english_name=english,
    )


def _name(value: str) -> str:
    if not value:
        raise _Bad(TextProblem.NAME)
    return value


def _sex(value: str) -> Sex:
    try:
        return Sex(value)
    except ValueError:
        raise _Bad(TextProblem.SEX) from None


def _date(value: str) -> dt.date:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise _Bad(TextProblem.DATE)
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise _Bad(TextProblem.DATE) from None


def _valid_to(value: str) -> dt.date | None:
    return None if value == LONG_TERM else _date(value)


def encode_text(identity: Identity) -> bytes:
    """The text block a card holding this identity sends (the simulator's side).

    Raises ValueError for a field too long for its slot: the caller built an impossible card.
    """
    if identity.card_type is CardType.FOREIGN_PERMANENT:
        layout, marker = _FOREIGN, "I"
        values = {
            "english_name": identity.english_name, "sex": identity.sex.value,
            "number": identity.id_number, "nationality": identity.nation,
            # written only when it differs, mirroring how decode_text falls back to the English name
            "name": "" if identity.name == identity.english_name else identity.name,
            "birth": _ymd(identity.birth_date), "authority": identity.authority,
        }
    else:
        layout = _RESIDENT
        marker = "J" if identity.card_type is CardType.HMT_RESIDENCE else " "
        values = {
            "name": identity.name, "sex": identity.sex.value, "nation": identity.nation,
            "birth": _ymd(identity.birth_date), "address": identity.address,
            "number": identity.id_number, "authority": identity.authority,
        }
    if identity.valid_from is None:
        raise ValueError("a card always has a first day of validity")
    values["valid_from"] = _ymd(identity.valid_from)
    values["valid_to"] = LONG_TERM if identity.valid_to is None else _ymd(identity.valid_to)
    chars = [" "] * (TEXT_SIZE // 2)
    for name, value in values.items():
        offset, length = layout[name]
        if len(value) > length // 2:
            raise ValueError(f"{name} longer than {length // 2} characters")
        chars[offset // 2:offset // 2 + len(value)] = value
    chars[_MARKER[0] // 2] = marker
    encoded = "".join(chars).encode("utf-16-le")
    if len(encoded) != TEXT_SIZE:
        raise ValueError("text outside the Basic Multilingual Plane does not fit UCS-2")
    return encoded


def _ymd(date: dt.date) -> str:
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"
