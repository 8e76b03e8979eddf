"""Normalising what groups write onto the partnership's fields and values.

- `status`: RAG statuses from words, letters, symbols and colours.
- `headers`: column headings, however worded, mapped onto the pipeline's fields.
- `text`: outcome headings, Refs, dates and deadlines in the partnership's wording.
- `deadlines`: the dates a target or a planned improvement names ('March 09', 'Autumn 08').
"""
