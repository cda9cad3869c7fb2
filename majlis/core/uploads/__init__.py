"""Safe uploads (QUALITY S9, S10): accept, scan and serve files that citizens and staff send.

Other apps use `services.upload_accept`, `selectors.upload_get` and `views.upload_response`, and
link their rows to `core.models.Upload`. Access checks are theirs: this package only guarantees
that what it stores is what it claims to be, and that nothing unscanned is ever served.
"""
