"""Files made in the background: exports, extracts, anything that can take seconds.

A view asks for a file with ``request_export(request, kind, title, params)``; a background
task (django-tasks, the database backend; ``manage.py db_worker``) builds it with the builder
registered for its kind, and the person who asked downloads it from a status page, through
the door and the access log. Nothing heavy runs inside a request.
"""
