"""The officer's page: a small local web app over the same library as the command line.

- `app`: the Starlette application, its routes and templates.
- `security`: the session token, CSRF, Host and Origin checks, upload caps.
- `jobs`: the one consolidation that may run at a time, in a background thread.
- `views_*`: one module per page; each calls the library and renders what it returns.
- `preview`, `chart`, `mail_view`: turning outputs into what a page shows.
"""
