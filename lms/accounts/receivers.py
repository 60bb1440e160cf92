"""What signing in does beyond the session: the person's own language comes back.

The language is a cookie of the browser (`lms.middleware.FrenchFirstLocaleMiddleware`);
the choice is also kept on the account (`User.language`). Signing in on a new browser,
or on one left in another language, brings the account's choice back: the request is
marked here and the middleware sets the cookie on the response.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LANGUAGE_CHOSEN = "atelier_language_chosen"


@receiver(user_logged_in, dispatch_uid="accounts.language_on_login")
def language_on_login(sender, request, user, **kwargs):
    language = getattr(user, "language", "")
    if request is None or language not in dict(settings.LANGUAGES):
        return
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) == language:
        return
    setattr(request, LANGUAGE_CHOSEN, language)
