from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from councils import access
from councils import selectors as council_selectors
from minutes import selectors


def council_detail(request: HttpRequest, municipality: str, council: str) -> HttpResponse:
    """A council's public page: its members as the minutes group them, and its meetings by
    year. Four queries whatever the number of members and meetings."""
    council_obj = access.get_public_council(municipality, council)
    upcoming, years = selectors.meetings_by_year(council_obj)
    return render(
        request,
        "minutes/council_detail.html",
        {
            "council": council_obj,
            "members": council_selectors.member_groups(council_obj),
            "upcoming": upcoming,
            "years": years,
        },
    )
