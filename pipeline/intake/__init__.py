"""Intake: list the inbox, tell what each file really is, refuse hostile ones, open the rest.

- `scan`: every file in the inbox, marked read or skip (lock files, system files, other types).
- `mail/`: returns that arrive by e-mail (saved .eml/.msg, an IMAP folder) unpacked into entries.
- `sniff`: a file's format from its content (never its extension); macros in an old-format file.
- `safety`: zip-bomb limits from the zip directory, before any library inflates a part; every
  part's prolog judged once, and how many XML elements the package holds.
- `prolog`: an XML part's prolog read to refuse any DOCTYPE (the one place that does).
- `package`: a zip package read once and checked once (`safety`), macros and unread parts noted;
  what the readers are given.
- `convert`: .doc, .xls, .rtf, .odt and .ods to .docx/.xlsx with LibreOffice.
- `budget`: a time limit per file, so a file that reads too long is stopped and the run goes on.
- `open`: the whole sequence for one file, ending in a reader or a rejection with its issue.
- `deposit`: a file dropped on the officer's page, judged as a run would judge it, into the inbox.
"""
