"""The hall's display board: public, codes and desks only, in Arabic and English."""

from typing import Any

import pytest

from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services
from majlis.queueing.models import Counter, Ticket

pytestmark = pytest.mark.django_db

BOARD = "/ajman/queue/board/AJ/"


def _called_at_desks() -> list[Ticket]:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    tickets = [
        services.ticket_issue(branch=branch, service=qareeb, citizen=None, phone=f"+97150000000{n}")
        for n in range(1, 4)
    ]
    for agent, desk in (("ajman.video", "1"), ("ajman.counter", "2")):
        shift = services.shift_open(
            agent=User.objects.get(username=agent),
            counter=Counter.objects.get(branch=branch, number=desk), services=[qareeb],
        )  # fmt: skip
        services.ticket_call_next(shift=shift)
    return tickets


def test_it_shows_who_is_called_to_which_desk(english: Any, demo: Any) -> None:
    first, second, third = _called_at_desks()
    page = english.get(BOARD).content.decode()
    assert "Now serving at Ajman" in page
    assert f"<bdi>{first.code}</bdi>" in page
    assert "Video desk 1" in page
    assert f"<bdi>{second.code}</bdi>" in page
    assert "Video desk 2" in page
    assert third.code not in page  # still waiting: not on the board
    assert "+9715" not in page  # no personal data
    assert 'data-socket="/ws/queue/ajman/AJ/"' in page
    assert 'data-text="Ticket {code}, {desk}"' in page


def test_it_gives_the_live_part_with_the_last_call(english: Any, demo: Any) -> None:
    empty = english.get(BOARD, {"part": "live"}).json()["html"]
    assert "Nobody is being called right now." in empty
    assert 'data-last-call=""' in empty
    _, second, _ = _called_at_desks()
    live = english.get(BOARD, {"part": "live"}).json()["html"]
    assert f'data-last-call="{second.code}@' in live
    assert f'data-call-code="{second.code}"' in live
    assert 'data-call-desk="Video desk 2"' in live


def test_it_shows_the_board_in_arabic(client: Any, demo: Any) -> None:
    _called_at_desks()
    page = client.get(BOARD).content.decode()
    assert "مكتب الاتصال المرئي 1" in page
    live = client.get(BOARD, {"part": "live"}).json()["html"]
    assert 'data-call-desk="مكتب الاتصال المرئي 2"' in live


def test_it_answers_404_for_an_unknown_branch(english: Any, demo: Any) -> None:
    assert english.get("/ajman/queue/board/ZZ/").status_code == 404
    assert english.get("/nowhere/queue/board/AJ/").status_code == 404
