"""Date a PDF from SOURCE_DATE_EPOCH, in place.

    python -m tools.pdf_dates site/gpt-series-notes.pdf

Chromium stamps the PDFs it prints with the time of printing and has no
switch for another date; with SOURCE_DATE_EPOCH set (a reproducible
build), this rewrites the creation and modification dates, in the
document info and in the XMP metadata, to that time. Without it the file
is left as printed. The bytes still differ between two prints (Chromium's
document /ID is random); the dates a reader's viewer shows do not.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path


def source_date() -> datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else None


def date_pdf(path: Path, when: datetime) -> None:
    import pikepdf

    pdf_date = when.strftime("D:%Y%m%d%H%M%SZ")
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        doc.docinfo["/CreationDate"] = pdf_date
        doc.docinfo["/ModDate"] = pdf_date
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            iso = when.isoformat()
            for key in ("xmp:CreateDate", "xmp:ModifyDate"):
                meta[key] = iso
        # The /ID from the content, not random: two prints of one build
        # then match wherever Chromium itself printed the same bytes.
        doc.save(path, deterministic_id=True)


def main(argv: list[str]) -> int:
    when = source_date()
    if when is None:
        print("SOURCE_DATE_EPOCH is not set: the PDF keeps its print date")
        return 0
    for name in argv[1:]:
        date_pdf(Path(name), when)
        print(f"dated {name} {when:%Y-%m-%d %H:%M:%S} UTC")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
