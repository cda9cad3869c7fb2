"""Sign-in with a username and password (staff and citizens with an account), and sign-out.

National SSO and guest sign-in by SMS code join these in the identity issue.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from majlis.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/portal/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: staff go to the back office, citizens to the service catalogue."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("portal:catalogue:home")
