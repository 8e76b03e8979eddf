"""Templates a Priority Action Group fills in, made so that they come back clean.

- `make`: one group's template (or every group's) of a kind and format, written to a folder.
- `wording`: the labels and headers the layout interpreter recognises, and the plan years.
- `instructions`: the plain-words instructions at the top of each template.
- `prefill`: last quarter's tasks read from a master workbook.
- `content`: what a progress template holds for one group (outcomes, actions, task rows).
- `progress_docx`: the quarterly progress return as a Word document (seed 001).
- `progress_xlsx`: the quarterly progress return as an Excel workbook (seed 001).
- `plan_docx`: the action-planning template as a Word document (seed 002).
- `plan_xlsx`: the action-planning template as an Excel workbook (seed 002).
- `docx_parts`: Word building blocks: tables, shaded cells, content controls.
- `xlsx_parts`: Excel building blocks: validations, protection, formats.
"""
