"""Limits that keep a hostile or runaway file from exhausting time or memory.

Generous for real returns (a partnership's return is a few hundred rows of a few thousand
characters); checked before anything is inflated where possible.
"""

#: Largest total uncompressed size of all parts of one .docx/.xlsx.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Largest uncompressed size of one part (document.xml, a sheet, shared strings).
MAX_PART_BYTES = 100 * 1024 * 1024
#: Largest compression ratio of any part, and of the whole package, once it inflates to more than
#: RATIO_CHECK_MIN_BYTES (below that, inflating costs nothing whatever the ratio).
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 64 * 1024
#: Most XML elements in all the XML parts of one package (a long real return has about 20,000).
MAX_XML_ELEMENTS = 500_000
#: Deepest nesting of XML elements: libxml2's own limit, kept because huge_tree is never set.
MAX_XML_DEPTH = 256
#: Most parts (files) inside one Office zip.
MAX_PARTS = 5_000
#: Most rows read from one Word table or one sheet.
MAX_ROWS = 20_000
#: Most columns read from one sheet.
MAX_COLUMNS = 200
#: Empty rows kept between two rows that hold something (a longer gap is shown by this many):
#: a cell far below the table never makes a dense grid of empty rows.
BLANK_ROWS_KEPT = 10
#: Most cells (merge continuations included) read from one file, over all its sheets or tables.
MAX_CELLS = 50_000
#: Most characters kept from one cell (Excel's own limit is 32,767).
MAX_CELL_CHARS = 32_000
#: Most files read from one e-mail (its attachments, forwarded ones included); the rest are listed
#: as not opened.
MAX_ATTACHMENTS = 100
#: Forwarded messages inside forwarded messages are followed this deep, no deeper.
MAX_EMAIL_NESTING = 5
#: Longest time reading one file may take (conversion included) before it is stopped and
#: reported, and the rest of the inbox read. A return within the limits above takes under 2 s.
FILE_TIME_LIMIT_SECONDS = 120
#: Longest time LibreOffice may take to convert one legacy file.
CONVERSION_TIME_LIMIT_SECONDS = 100
#: Most console lines of each kind (read, rejected, skipped, superseded) one run prints; the
#: rest are counted in one line, and every file is listed in the master workbook.
CONSOLE_LINES_PER_STATE = 50

#: Largest upload to the officer's page in one request (all files together), in bytes.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Most files dropped onto the officer's page at once.
MAX_UPLOAD_FILES = 20
