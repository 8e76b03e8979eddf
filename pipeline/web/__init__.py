"""The officer's page: a small local web app over the same library as the command line.

- `app`: the Starlette application, its routes and templates.
- `settings`: what the page works on and how it is guarded, fixed when the server starts.
- `security`: the session token, CSRF, Host and Origin checks, upload caps.
- `serving`: the port bound before its address is printed.
- `render`: rendering a page with what every page is given.
- `jobs`: the one consolidation that may run at a time, in a background thread.
- `views_quarter`: the quarter at a glance, returns dropped into the inbox, the run.
- `views_cycle`: the tracker, opening and closing a period, accepting, explaining.
- `views_outputs`: a return's page, the report's preview, the messages, the downloads.
- `views_history`: each task's status over the periods, and the counts per group.
- `preview`: the exceptions report read back from the .docx for the page.
- `chart`: the history chart's geometry.
- `mail_view`: a saved .eml as the page shows it.
"""
