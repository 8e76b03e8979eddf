"""One reader per format: a file becomes paragraphs and tables of cells, each knowing its place.

- `docx`: a Word return read into a `SourceDocument`, its XML walked directly.
- `docx_package`: the parts of a .docx package, found through its relationships.
- `docx_paragraphs`: a paragraph's text as a person sees it, with its tracked changes.
- `docx_plain`: the fast path for plain tables, cells and paragraphs (a table in one pass).
- `docx_tables`: Word tables lined up on their grid, merges and content controls resolved.
- `docx_numbering`: automatic list numbers ("a)", "1.") computed as Word shows them.
- `docx_shading`: a Word cell's background colour.
- `docx_styles`: what paragraphs and cells inherit from the styles and theme, loaded when needed.
- `docx_symbols`: the characters behind `<w:sym>` (Symbol, Wingdings).
- `docx_xml`: WordprocessingML names and small XML helpers.
- `xlsx`: an Excel return read into a `SourceDocument`, one table per sheet.
- `xlsx_fast`: the sheets' XML read directly, as openpyxl would read it.
- `xlsx_plain`: a sheet of plain rows and cells cut from its text, only what surrounds them parsed.
- `xlsx_positions`: where openpyxl holds a sheet's cells, from its XML (the openpyxl path).
- `xlsx_package`: what an .xlsx package holds that openpyxl hides (macros, formulas without values).
- `xlsx_cells`: a cell's value turned into what a person sees; its fill's colour.
- `xlsx_looks`: a cell's text colour and font, conditional-format colours, hidden columns.
- `xlsx_numfmt`: a number or date as Excel shows it through its number format; serial dates.
- `xlsx_refs`: cell references (B12, A1:C5) read as openpyxl reads them, without loading it.
- `package_rels`: a package part's relationships, read alike for Word and Excel.
- `pdf`: a PDF return's ruled tables of text (pdfplumber).
"""
