# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Where things go on the page (PDF points, origin at the bottom left).

Nghị định 30/2020 (Phụ lục I, II.7–8): the leader's signature image is
centred between the title line and the printed name; the agency's seal image,
at about the seal's real size, overlaps the left third of that image. The
draft reserves one box for the leader's signature; the seal's box is derived
from it so that the overlap holds whatever the template.
"""
from dataclasses import dataclass

MM = 72 / 25.4

# Field names shared by the draft, the signing steps and the verification
FIELD_NUMBER = 'SoVanBan'
FIELD_DATE = 'NgayBanHanh'
FIELD_LEADER = 'ChuKyLanhDao'
FIELD_ORGANIZATION = 'ChuKyCoQuan'
# Changes the leader's signature accepts after it (checked on verification)
FIELDS_AFTER_LEADER = frozenset({FIELD_NUMBER, FIELD_DATE, FIELD_ORGANIZATION})

# The leader's signature box, the image at its top, the text under it
SIGNATURE_WIDTH = 190
SIGNATURE_HEIGHT = 110
IMAGE_HEIGHT = 62
IMAGE_WIDTH = 155
IMAGE_TOP_MARGIN = 5
STAMP_FONT_SIZE = 7
# 100 pt is about 35 mm, the diameter of an agency's round seal
SEAL_DIAMETER = 100
# Fields filled by the clerk
FIELD_FONT_SIZE = 13
# The organisation's text block on annexes and copies (§4.8: 10 pt, black)
INFO_FONT_SIZE = 10
INFO_LEADING = 12
INFO_RIGHT_MARGIN = 15 * MM
INFO_TOP_MARGIN = 5 * MM


@dataclass(frozen=True)
class Box:
    "A rectangle on a page (0-based page index)"
    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def rect(self):
        return (self.x1, self.y1, self.x2, self.y2)

    @property
    def width(self):
        return self.x2 - self.x1

    @property
    def height(self):
        return self.y2 - self.y1

    @classmethod
    def signature_at(cls, page, x, y):
        "The leader's box whose bottom left corner is (x, y)"
        return cls(page, x, y, x + SIGNATURE_WIDTH, y + SIGNATURE_HEIGHT)


@dataclass(frozen=True)
class Reservation:
    "What a draft keeps free for the clerk and the two signatures"
    number: Box
    date: Box
    leader: Box


def image_box(leader):
    "Where the leader's signature image is drawn (top-centred in its box)"
    x1 = leader.x1 + (leader.width - IMAGE_WIDTH) / 2
    y2 = leader.y2 - IMAGE_TOP_MARGIN
    return Box(leader.page, x1, y2 - IMAGE_HEIGHT, x1 + IMAGE_WIDTH, y2)


def seal_box(leader):
    "The seal: its right edge one third into the image, vertically centred"
    image = image_box(leader)
    right = image.x1 + image.width / 3
    middle = (image.y1 + image.y2) / 2
    return Box(leader.page, right - SEAL_DIAMETER, middle - SEAL_DIAMETER / 2,
        right, middle + SEAL_DIAMETER / 2)


def info_box(media_box, text_width, lines):
    "The organisation's text block at the top right of the first page"
    height = lines * INFO_LEADING + 4
    width = text_width + 4
    x2 = media_box[2] - INFO_RIGHT_MARGIN
    y2 = media_box[3] - INFO_TOP_MARGIN
    return Box(0, x2 - width, y2 - height, x2, y2)
