"""Audio the emulator "speaks": real, decodable bytes in every speech format.

Speech is one short tone per word (its pitch from the word and the voice), so
the length of the audio follows the text and the same input gives the same
bytes. WAV, PCM and FLAC carry those tones; MP3 and Opus carry silence of the
same length, because encoding sound in them needs a codec the standard library
does not have (a silent MP3 or Opus frame is a few constant bytes).
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
from array import array
from collections.abc import Callable
from typing import Final

__all__ = ["FORMATS", "SAMPLE_RATE", "encode", "samples_for", "seconds"]

SAMPLE_RATE: Final = 16_000
_WORD: Final = int(SAMPLE_RATE * 0.2)
_GAP: Final = int(SAMPLE_RATE * 0.05)
_AMPLITUDE: Final = 8_000


def _pitch(word: str, voice: str) -> float:
    digest = hashlib.sha256(f"{voice}:{word}".encode()).digest()
    base = 140.0 + digest[0] % 120
    return base * (1 + (digest[1] % 12) / 24)


def samples_for(text: str, voice: str = "") -> array[int]:
    """Return signed 16-bit mono samples: a faded tone per word, then a gap."""
    out = array("h")
    step = 2 * math.pi / SAMPLE_RATE
    for word in text.split() or ["..."]:
        frequency = _pitch(word, voice)
        fade = _WORD // 8
        for n in range(_WORD):
            envelope = min(1.0, n / fade, (_WORD - n) / fade)
            out.append(int(_AMPLITUDE * envelope * math.sin(step * frequency * n)))
        out.extend([0] * _GAP)
    return out


def seconds(samples: array[int]) -> float:
    """Return the duration of the samples."""
    return len(samples) / SAMPLE_RATE


def _little_endian(samples: array[int]) -> bytes:
    data = array("h", samples)
    if struct.pack("=h", 1) != struct.pack("<h", 1):
        data.byteswap()
    return data.tobytes()


def _wav(samples: array[int]) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(_little_endian(samples))
    return buffer.getvalue()


def _mp3(samples: array[int]) -> bytes:
    # MPEG-1 Layer III, 32 kbit/s, 32 kHz, mono, no CRC: 144-byte frames of
    # 1152 samples. All-zero side information and main data decode as silence.
    header = bytes([0xFF, 0xFB, 0x18, 0xC0])
    frame = header + bytes(140)
    count = math.ceil(seconds(samples) * 32_000 / 1152)
    return frame * max(count, 1)


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) if crc & 0x80 else crc << 1
            crc &= 0xFF
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (
                ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
            )
    return crc


_FLAC_BLOCK: Final = 4096


def _flac(samples: array[int]) -> bytes:
    # STREAMINFO, then one frame per 4096 samples with a verbatim subframe:
    # valid FLAC that any decoder reads (without compression, which is allowed).
    total = len(samples)
    info = struct.pack(">HH", _FLAC_BLOCK, _FLAC_BLOCK) + bytes(6)
    packed = (SAMPLE_RATE << 44) | (0 << 41) | (15 << 36) | total
    info += packed.to_bytes(8, "big") + bytes(16)
    out = bytearray(b"fLaC" + bytes([0x80]) + len(info).to_bytes(3, "big") + info)
    for number, start in enumerate(range(0, total, _FLAC_BLOCK)):
        block = samples[start : start + _FLAC_BLOCK]
        size_code = 0xC0 if len(block) == _FLAC_BLOCK else 0x70
        header = bytearray([0xFF, 0xF8, size_code, 0x08])
        header += chr(number).encode("utf-8", "surrogatepass")
        if size_code == 0x70:
            header += (len(block) - 1).to_bytes(2, "big")
        header.append(_crc8(bytes(header)))
        body = bytearray(header)
        body.append(0x02)  # verbatim subframe, no wasted bits
        body += struct.pack(f">{len(block)}h", *block)
        body += _crc16(bytes(body)).to_bytes(2, "big")
        out += body
    return bytes(out)


def _ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def _ogg_page(packets: list[bytes], kind: int, granule: int, sequence: int) -> bytes:
    table = bytearray()
    for packet in packets:
        table += bytes([255] * (len(packet) // 255) + [len(packet) % 255])
    head = struct.pack("<4sBBqII", b"OggS", 0, kind, granule, 0x4D495354, sequence)
    page = head + b"\0\0\0\0" + bytes([len(table)]) + bytes(table) + b"".join(packets)
    crc = _ogg_crc(page)
    return page[:22] + crc.to_bytes(4, "little") + page[26:]


def _opus(samples: array[int]) -> bytes:
    # Ogg Opus: the two header pages, then 20 ms CELT silence frames (0xF8 0xFF
    # 0xFE), 200 to a page; granule positions count 48 kHz samples.
    head = struct.pack("<8sBBHIhB", b"OpusHead", 1, 1, 312, SAMPLE_RATE, 0, 0)
    vendor = b"mistral-sdk emulator"
    tags = b"OpusTags" + struct.pack("<I", len(vendor)) + vendor + bytes(4)
    pages = [_ogg_page([head], 0x02, 0, 0), _ogg_page([tags], 0x00, 0, 1)]
    count = max(1, math.ceil(seconds(samples) / 0.02))
    silence = b"\xf8\xff\xfe"
    sent = 0
    while sent < count:
        batch = min(200, count - sent)
        sent += batch
        kind = 0x04 if sent == count else 0x00
        granule = 312 + sent * 960
        pages.append(_ogg_page([silence] * batch, kind, granule, len(pages)))
    return b"".join(pages)


FORMATS: Final[dict[str, Callable[[array[int]], bytes]]] = {
    "wav": _wav,
    "pcm": _little_endian,
    "flac": _flac,
    "mp3": _mp3,
    "opus": _opus,
}
"""Encoders by the API's `response_format` names (PCM: 16-bit little endian)."""


def encode(text: str, response_format: str, voice: str = "") -> bytes:
    """Return `text` spoken in `response_format` (one of `FORMATS`)."""
    return FORMATS[response_format](samples_for(text, voice))
