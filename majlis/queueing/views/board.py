"""The hall's display board (a TV per branch): public, codes and desks only.

`?part=live` gives the board's changing part alone (as JSON: `{"html": …}`); `board.js` fetches
it whenever the branch's socket reports a change (or every few seconds while the socket is down)
and chimes on a new call.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from majlis.catalogue.models import Branch
from majlis.queueing import selectors


@require_safe
def board(request: HttpRequest, slug: str, prefix: str) -> HttpResponse:
    branch = (
        Branch.objects.select_related("authority")
        .filter(authority__slug=slug, authority__is_active=True, ticket_prefix=prefix)
        .filter(is_active=True)
        .first()
    )
    if branch is None:
        raise Http404
    shown = selectors.board_for_branch(branch)
    latest = shown["recent"][0] if shown["recent"] else None
    context = {
        "branch": branch,
        "authority": branch.authority,
        "current": shown["current"],
        "recent": shown["recent"],
        # Changes whenever someone is called or called again: the page chimes when it does.
        "last_call": f"{latest.code}@{latest.called_at.timestamp():.3f}" if latest else "",
        "socket_path": f"/ws/queue/{branch.authority.slug}/{branch.ticket_prefix}/",
    }
    if request.GET.get("part") == "live":
        html = render_to_string("queueing/board/_live.html", context, request=request)
        return JsonResponse({"html": html}, headers={"Cache-Control": "no-store"})
    return render(request, "queueing/board/board.html", context)
