"""Near-duplicates: the same report in several outlets (agency copy, light rewrites, the same article filed twice).

Two articles are near-duplicates when the Jaccard similarity of their word 5-gram shingles (dedup layer: hamza,
ta marbuta, alef maqsura and diacritics folded, so spelling habits do not hide a copy) is at least
``DedupConfig.threshold`` = 0.3: a third of all 5-word runs shared is one report, copied or lightly rewritten
(agency copy in several outlets), not two articles on one event. Finding them without comparing every pair: a
MinHash signature per article (rensa's R-MinHash, 128 permutations, the first 120 used) cut into 40 bands of 3
rows; articles that agree on a whole band are candidates (LSH), and a candidate is kept when the signatures estimate
the Jaccard at or above the threshold. Identical texts are found by their text hash even when too short to shingle.

Chosen on ANT (``bench/duplicates.py``): the S-curve ``1 - (1 - J^3)^40`` proposes a pair at J = 0.3 with
chance 0.66, at J = 0.5 0.995; 40 × 3 at 0.3 finds all 1,173 URLs filed twice (32 × 4 at 0.4: 1,172), 78% of the
silver pairs with 6-gram Jaccard 0.3-0.5 and all above 0.5, at 99.2% precision, comparing 0.14 candidates per
article.
"""

from __future__ import annotations

import hashlib
import operator
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from rensa import RMinHash

from akhbar.arabic.normalize import dedup_tokens
from akhbar.model import Article

SEED = 20180218  # fixed: signatures stored in an archive must stay comparable across runs and versions


@dataclass(frozen=True, slots=True)
class DedupConfig:
    shingle: int = 5  # words per shingle
    permutations: int = 128
    bands: int = 40
    rows: int = 3
    threshold: float = 0.3  # estimated Jaccard at or above which two articles are one report


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What near-duplicate detection keeps of an article."""

    text_hash: str  # of the dedup-layer words: identical texts, however short
    signature: tuple[int, ...]  # MinHash values (permutations)
    bands: tuple[int, ...]  # one 63-bit key per band

    def to_blob(self) -> bytes:
        return struct.pack(f"<{len(self.signature)}I", *self.signature)

    @staticmethod
    def signature_from_blob(blob: bytes) -> tuple[int, ...]:
        return struct.unpack(f"<{len(blob) // 4}I", blob)


def shingles(words: Sequence[str], size: int) -> list[str]:
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def fingerprint(article: Article, config: DedupConfig = DedupConfig()) -> Fingerprint:
    """Fingerprint of an article's title and body."""
    return fingerprint_text(f"{article.title}\n{article.text}", config)


def fingerprint_text(text: str, config: DedupConfig = DedupConfig()) -> Fingerprint:
    words = dedup_tokens(text)
    text_hash = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()
    minhash = RMinHash(num_perm=config.permutations, seed=SEED)
    minhash.update(shingles(words, config.shingle))
    signature = tuple(minhash.digest())
    return Fingerprint(text_hash, signature, band_keys(signature, config))


def band_keys(signature: Sequence[int], config: DedupConfig = DedupConfig()) -> tuple[int, ...]:
    keys = []
    for band in range(config.bands):
        rows = signature[band * config.rows : (band + 1) * config.rows]
        digest = hashlib.blake2b(struct.pack(f"<{len(rows)}I", *rows), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)  # 63 bits: fits SQLite's and PostgreSQL's BIGINT
    return tuple(keys)


def estimated_jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle Jaccard similarity."""
    if not a or len(a) != len(b):
        return 0.0
    equal: int = sum(map(operator.eq, a, b))  # map in C: linking compares up to 200 candidates per article
    return equal / len(a)


def candidate_probability(jaccard: float, config: DedupConfig = DedupConfig()) -> float:
    """Chance that LSH proposes a pair of this Jaccard similarity (the S-curve of the banding)."""
    return float(1 - (1 - jaccard**config.rows) ** config.bands)
