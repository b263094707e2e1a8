import csv
import io
import json

from django.urls import reverse

from hct.learning import opendata


def test_the_open_data_files_hold_every_neighbourhood_and_the_dictionary_names_every_column(
    demo, client
):
    text = client.get(reverse("learning:open-data-csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    columns = [c["column"] for c in opendata.dictionary()]
    assert list(rows[0]) == columns
    names = {row["neighbourhood"] for row in rows}
    assert demo.first_neighbourhood.name in names and len(rows) == 7
    first = next(row for row in rows if row["neighbourhood"] == demo.first_neighbourhood.name)
    assert first["wellbeing_pairs"] == "15"  # Sam and his twelve neighbours, rounded
    data = json.loads(client.get(reverse("learning:open-data-json")).content)
    assert data["dictionary"] == opendata.dictionary()
    assert [r["neighbourhood"] for r in data["neighbourhoods"]] == [
        r["neighbourhood"] for r in rows
    ]
    for record in data["neighbourhoods"]:
        for column in data["dictionary"]:
            value = record[column["column"]]
            if column["type"] == "count":
                assert value == "*" or (
                    isinstance(value, int) and value % 5 == 0 and not 1 <= value <= 7
                )
    assert "Sam" not in text


def test_the_open_data_page_explains_the_files(demo, client):
    page = client.get(reverse("learning:open-data")).content.decode()
    assert (
        "Data dictionary" in page
        and "gaps_long_wait" in page
        and "rounded to the nearest 5" in page
    )
