from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "majlis.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from majlis.accounts import signals
        from majlis.accounts.models import User

        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="majlis_signed_in")
        user_logged_out.connect(signals.on_user_logged_out, dispatch_uid="majlis_signed_out")
        authenticator_added.connect(signals.on_authenticator_added, dispatch_uid="majlis_totp_on")
        authenticator_removed.connect(
            signals.on_authenticator_removed, dispatch_uid="majlis_totp_off"
        )
        post_save.connect(signals.on_user_saved, sender=User, dispatch_uid="majlis_user_saved")
