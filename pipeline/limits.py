"""Limits that keep a hostile or runaway file from exhausting time or memory.

Generous for real returns (a partnership's return is a few hundred rows of a few thousand
characters); checked before anything is inflated where possible.
"""

#: Largest total uncompressed size of all parts of one .docx/.xlsx.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Largest uncompressed size of one part (document.xml, a sheet, shared strings).
MAX_PART_BYTES = 100 * 1024 * 1024
#: Largest compression ratio of any part larger than RATIO_CHECK_MIN_BYTES.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024
#: Most parts (files) inside one Office zip.
MAX_PARTS = 5_000
#: Most rows read from one Word table or one sheet.
MAX_ROWS = 20_000
#: Most columns read from one sheet.
MAX_COLUMNS = 200
#: Most characters kept from one cell (Excel's own limit is 32,767).
MAX_CELL_CHARS = 32_000

#: Largest upload to the officer's page in one request (all files together), in bytes.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Most files dropped onto the officer's page at once.
MAX_UPLOAD_FILES = 20
