"""The access log: who saw which record, when, in which role and why.

Views reach records through ``samverkan.permissions.load`` (which logs); a view that logs
something else calls ``samverkan.permissions.record``. Entries are queued on the request and
written together, hash-chained, by ``samverkan.audit.middleware.AccessLogMiddleware`` at the
end of the request (fail-closed: if they cannot be written, the page is not served).
"""
