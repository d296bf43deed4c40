# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Reading a ZIP file that comes from outside without trusting it.

A package to verify is uploaded by a user: it may be a zip bomb (a few
kilobytes inflating to gigabytes), carry paths that escape the folder it is
extracted to (``../../etc/passwd``, ``/abs``, ``C:\\x``), links, encrypted
or duplicate entries. Everything is checked on the central directory before
any byte is inflated, and every read is bounded again, since the sizes of
the directory can lie.
"""
import dataclasses
import hashlib
import io
import stat
import unicodedata
import zipfile
import zlib

from .errors import PackageFormatError, UnsafePackageError

MIB = 1024 * 1024
CHUNK = 64 * 1024


@dataclasses.dataclass(frozen=True)
class ZipLimits:
    # The package as uploaded
    max_package_size: int = 2048 * MIB
    max_entries: int = 20_000
    # One file once inflated: the largest attachment a document may have
    # is bounded by the configuration (default 50 MB) with a wide margin
    max_entry_size: int = 1024 * MIB
    max_total_size: int = 8192 * MIB
    # Uncompressed/compressed, for entries above ratio_threshold: PDFs
    # compress 1-3 times, XML 5-50 times; bombs reach 1000 and more
    max_ratio: int = 200
    ratio_threshold: int = 1 * MIB
    max_path_length: int = 1024


DEFAULT_LIMITS = ZipLimits()


def _unsafe_name(name, limits):
    "Why the name of an entry is unsafe to use as a relative path, or None"
    if not name or len(name) > limits.max_path_length:
        return 'length'
    if '\\' in name or name.startswith('/') or (
            len(name) >= 2 and name[1] == ':'):
        return 'absolute'
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return 'control'
    parts = name.rstrip('/').split('/')
    if any(p in {'', '.', '..'} for p in parts):
        return 'traversal'
    return None


def _collision_key(name):
    # Names equal once normalised and case-folded extract to the same file
    # on Windows and macOS: the verifier would check one, a user open the
    # other
    return unicodedata.normalize('NFC', name).casefold()


class SafeZip:
    "A ZIP file checked for hostile content, read with bounds"

    def __init__(self, data, limits=DEFAULT_LIMITS):
        self.limits = limits
        if len(data) > limits.max_package_size:
            raise UnsafePackageError('too_large',
                limit=limits.max_package_size // MIB)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError,
                ValueError, EOFError, NotImplementedError) as exception:
            raise PackageFormatError('not_zip', detail=str(exception))
        if len(infos) > limits.max_entries:
            raise UnsafePackageError('too_many_entries',
                limit=limits.max_entries)
        self._infos = {}
        seen = set()
        total = 0
        for info in infos:
            name = info.filename
            # Check the raw name too: zipfile turns "\" into "/" on read
            raw = getattr(info, 'orig_filename', name)
            if _unsafe_name(name, limits) or _unsafe_name(raw, limits):
                raise UnsafePackageError('unsafe_path', name=raw)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafePackageError('symlink', name=name)
            if info.flag_bits & 0x1:
                raise UnsafePackageError('encrypted_entry', name=name)
            key = _collision_key(name)
            if key in seen:
                raise UnsafePackageError('duplicate_entry', name=name)
            seen.add(key)
            if info.is_dir():
                continue
            if info.file_size > limits.max_entry_size:
                raise UnsafePackageError('zip_bomb', name=name)
            if (info.file_size > limits.ratio_threshold
                    and info.file_size
                    > limits.max_ratio * max(info.compress_size, 1)):
                raise UnsafePackageError('zip_bomb', name=name)
            total += info.file_size
            if total > limits.max_total_size:
                raise UnsafePackageError('zip_bomb', name=name)
            self._infos[name] = info

    @property
    def names(self):
        "The names of the files (not folders), in the order of the archive"
        return list(self._infos)

    def __contains__(self, name):
        return name in self._infos

    def size(self, name):
        return self._infos[name].file_size

    def _chunks(self, name):
        """The inflated content of name, chunk by chunk, never more than
        the size its directory entry declares (zipfile stops there and
        checks the CRC; the count is kept in case it did not)."""
        info = self._infos[name]
        read = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > info.file_size:
                        raise UnsafePackageError('zip_bomb', name=name)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError,
                EOFError, NotImplementedError, RuntimeError) as exception:
            # A bad CRC, a truncated stream, an unknown compression
            raise PackageFormatError('unreadable_entry', name=name,
                detail=str(exception))

    def read(self, name):
        "The content of name, bounded"
        return b''.join(self._chunks(name))

    def sha256(self, name):
        "The SHA-256 (hex) of the content of name, streamed"
        digest = hashlib.sha256()
        for chunk in self._chunks(name):
            digest.update(chunk)
        return digest.hexdigest()
