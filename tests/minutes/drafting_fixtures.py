"""The standing agenda the drafting tests use."""

from minutes.models import StandingItem


def standing_agenda(council) -> None:
    for position, spec in enumerate(
        [
            {
                "title": "Föregående minnesanteckningar",
                "decision": "Minnesanteckningarna från mötet {föregående möte} godkänns.",
            },
            {"title": "Verksamhetsberättelse {föregående år}", "first_meeting_of_year": True},
            {
                "title": "Aktuell information från verksamheterna",
                "sections": ["Socialförvaltningen", "ABO"],
            },
            {"title": "Övriga frågor"},
        ],
        start=1,
    ):
        StandingItem.objects.create(council=council, position=position, **spec)
