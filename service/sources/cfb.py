"""Just enough of the Compound File Binary format (OLE2) to judge a file before a
reader opens it: the container of old .xls workbooks and of password-protected
.xlsx files (streams «EncryptionInfo» and «EncryptedPackage»).

Everything is bounded by the file's own size: sector numbers are checked, chains
are followed at most once per sector, so a crafted file cannot loop or point
outside itself.
"""
from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFA                    # sector numbers at or above this are markers, not sectors


class BadCompoundFile(ValueError):
    pass


class CompoundFile:
    """Streams of a compound file by name (the root storage's streams only)."""

    def __init__(self, data: bytes):
        if len(data) < 512 or data[:8] != MAGIC:
            raise BadCompoundFile("no compound-file header")
        self.data = data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        mini_shift = struct.unpack_from("<H", data, 0x20)[0]
        if shift not in (9, 12) or mini_shift != 6:
            raise BadCompoundFile("bad sector size")
        self.sector = 1 << shift
        self.count = max(0, (len(data) - self.sector) // self.sector + (1 if len(data) % self.sector else 0))
        n_fat, dir_start, _, self.mini_cutoff, mini_fat_start, n_mini_fat, difat_start, n_difat = struct.unpack_from(
            "<I I I I I I I I", data, 0x2C)
        if self.mini_cutoff != 4096:
            raise BadCompoundFile("bad mini stream cutoff")
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        seen = set()
        while difat_start < _END and len(fat_sectors) < n_fat:
            if difat_start in seen:
                raise BadCompoundFile("DIFAT loop")
            seen.add(difat_start)
            block = self._sector(difat_start)
            entries = struct.unpack_from(f"<{self.sector // 4}I", block)
            fat_sectors.extend(s for s in entries[:-1] if s < _END)
            difat_start = entries[-1]
        if len(fat_sectors) < n_fat or n_fat > self.count:
            raise BadCompoundFile("FAT sectors missing")
        self.fat = []
        for s in fat_sectors[:n_fat]:
            self.fat.extend(struct.unpack_from(f"<{self.sector // 4}I", self._sector(s)))
        directory = self._chain(dir_start)
        self.entries: dict[str, tuple[int, int, int]] = {}       # name -> (type, start, size)
        root = None
        for off in range(0, len(directory) - 127, 128):
            name_len = struct.unpack_from("<H", directory, off + 64)[0]
            kind = directory[off + 66]
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = directory[off:off + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", directory, off + 116)
            if self.sector == 512:
                size &= 0xFFFFFFFF                 # version 3: the high half is undefined
            if kind == 5 and root is None:
                root = (start, size)
            else:
                self.entries.setdefault(name, (kind, start, size))
        self._mini = None
        self._mini_fat_start, self._root = mini_fat_start, root

    def names(self) -> set[str]:
        return set(self.entries)

    def stream(self, name: str, limit: int | None = None) -> bytes:
        kind, start, size = self.entries[name]
        if kind != 2:
            raise BadCompoundFile("not a stream")
        if size > len(self.data):
            raise BadCompoundFile("stream larger than the file")
        if size < self.mini_cutoff:
            return self._mini_stream(start, size)
        return self._chain(start, limit or size)[:size]

    # ---------------------------------------------------------------- sectors

    def _sector(self, n: int) -> bytes:
        if n >= self.count:
            raise BadCompoundFile("sector outside the file")
        at = (n + 1) * self.sector
        return self.data[at:at + self.sector]

    def _chain(self, start: int, limit: int | None = None) -> bytes:
        out, seen, n = [], set(), start
        total = 0
        while n < _END:
            if n in seen or n >= len(self.fat):
                raise BadCompoundFile("broken sector chain")
            seen.add(n)
            out.append(self._sector(n))
            total += self.sector
            if limit is not None and total >= limit:
                break
            n = self.fat[n]
        return b"".join(out)

    def _mini_stream(self, start: int, size: int) -> bytes:
        if self._mini is None:
            if self._root is None:
                raise BadCompoundFile("no root entry")
            mini_fat_bytes = self._chain(self._mini_fat_start) if self._mini_fat_start < _END else b""
            self._mini_fat = list(struct.unpack_from(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
            self._mini = self._chain(self._root[0])[:self._root[1]] if self._root[0] < _END else b""
        out, seen, n = [], set(), start
        while n < _END and len(out) * 64 < size:
            if n in seen or n >= len(self._mini_fat) or (n + 1) * 64 > len(self._mini):
                raise BadCompoundFile("broken mini stream chain")
            seen.add(n)
            out.append(self._mini[n * 64:(n + 1) * 64])
            n = self._mini_fat[n]
        return b"".join(out)[:size]
