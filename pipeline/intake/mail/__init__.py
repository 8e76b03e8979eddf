"""Returns that arrive by e-mail: saved messages and a mailbox, unpacked into the inbox's entries.

- `names`: safe, unique file names for whatever a sender called an attachment.
- `messages`: a saved .eml or .msg read into sender, date, subject and attachments.
- `outlook`: the .msg half of that, with extract-msg.
- `expand`: an e-mail in the inbox unpacked into entries for its attachments.
- `fetch`: new messages from an IMAP folder saved into the inbox, each once.
"""
