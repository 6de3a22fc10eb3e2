"""Every public page describes itself to search engines (Lighthouse's SEO audit): a meta
description of its own, naming what the page is about."""

import html
import re

import pytest

from tests.actionplans.helpers import adopt, plan_with_goals

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta name="description" content="([^"]*)">')


def description(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = META.findall(response.content.decode())
    assert len(found) == 1, url
    return html.unescape(found[0])


def test_each_public_page_has_a_description_of_its_own(client, cast):
    adopt(plan_with_goals(cast.council), cast)  # an approved meeting on 24 February 2020
    expected = {
        "/": "kommunernas råd och nämnder",
        "/arboga/": "Arboga kommun",
        "/arboga/forebyggande-radet/": "Förebyggande rådet i Arboga kommun",
        "/arboga/forebyggande-radet/2020-02-24/": "mötet den 24 februari 2020",
        "/sok/": "Sök i alla godkända",
        "/sok/?q=trygghet&kommun=arboga&rad=forebyggande-radet": "från Förebyggande rådet",
        "/arboga/forebyggande-radet/handlingsplaner/": "handlingsplaner och verksamhetsberättelser",
        "/arboga/forebyggande-radet/handlingsplaner/2020/": "mål, insatser och uppföljning",
        "/tillganglighet/": "Tillgänglighetsredogörelse",
    }
    seen = {}
    for url, words in expected.items():
        text = description(client, url)
        assert words in text, (url, text)
        assert 50 <= len(text) <= 200, (url, text)
        seen[url] = text
    assert len(set(seen.values())) == len(seen), "two pages share a description"


def test_the_accessibility_statement_encodes_the_mail_subject(client):
    page = client.get("/tillganglighet/").content.decode()
    link = re.search(r'href="(mailto:[^"]*)"', page).group(1)
    assert " " not in link
    assert link.endswith("?subject=Tillg%C3%A4nglighet%20i%20Protokollet")
