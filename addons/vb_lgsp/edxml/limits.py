# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Bounds applied to every package read or written (configurable)"
import dataclasses

MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Limits:
    # A third-party gateway and a Spring connector both stop at 50 MB
    # (spec §1.10); the axis's own limit is not published
    max_package_size: int = 50 * MIB
    # The deepest element of a package is at level 10 (signature
    # transforms inside a SOAP envelope)
    max_depth: int = 32
    max_elements: int = 20_000
    # Any text or attribute except the base64 content of an attachment
    max_text_length: int = 100_000
    max_attributes: int = 32
    max_attachments: int = 200
    # Decoded size of one attachment
    max_attachment_size: int = 50 * MIB
    # Total declared size of the entries of a zip file
    max_unzipped_size: int = 200 * MIB
    max_zip_entries: int = 10_000
    # Uncompressed/compressed, checked for entries above 1 MiB (office
    # files' XML compresses 10-50 times; bombs reach 1000)
    max_zip_ratio: int = 200


DEFAULT_LIMITS = Limits()
