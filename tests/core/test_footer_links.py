"""Anyone, signed in or not, can reach the public accountability pages and the open data."""

import pytest


@pytest.mark.django_db
def test_the_footer_links_the_public_pages_and_they_open_without_sign_in(client):
    page = client.get("/sign-in/")
    html = page.content.decode()
    for href in ("/commitments/public/", "/learning/open-data/"):
        assert f'href="{href}"' in html
        assert client.get(href).status_code == 200
