"""Time `tui.importer.parse_description` on one 1 MiB input shape (bench/corpus.py).

python bench/import_shape.py SHAPE [BYTES]    # prints the seconds of the parse, and the size

BYTES (1 MiB unless given) is how much the shape fills; bench/run.py --quick asks for less.

Run in its own process by bench/run.py, so a shape that never ends can be stopped.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import MIB, SHAPES
from tui.errors import UserError
from tui.importer import parse_description


def main() -> int:
    text = SHAPES[sys.argv[1]](int(sys.argv[2]) if len(sys.argv) > 2 else MIB)
    start = time.perf_counter()
    try:
        parse_description(text)
        outcome = "read"
    except UserError:
        outcome = "refused"  # a clear refusal is an answer too; its time counts
    elapsed = time.perf_counter() - start
    print(f"{elapsed:.4f} {len(text.encode('utf-8'))} {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
