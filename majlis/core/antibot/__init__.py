"""The anti-bot check on public forms ("verification code"): proof of work, or a text question.

Services in `services.py` (also for the mobile API), the form mixin in `forms.py`; the design is in
docs/decisions/0019-anti-bot-check.md.
"""
