"""A namesake that sees more (eclipse.io.namesakes): ``--place Exmouth`` for
2023-04-20 takes Exmouth in England, which sees nothing, and says that
Exmouth in Western Australia saw totality; ``--place Principe`` for
1919-05-29 (Eddington's eclipse) takes the place in Ceuta, and names the
island of Príncipe.  What each note says is checked against ``e.local`` at
the namesake, computed here; the place taken never changes.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import eclipse
from eclipse.io import places
from eclipse.io.coordinates import looks_like_coordinates, parse_coordinates
from eclipse.io.namesakes import local_note, note_lines, rank
from eclipse.io.records import rounded
from support.cli import run


def _seen_at(date: str, place: places.Place):
    return eclipse.at(date).local(place.latitude, place.longitude)


def _duration_words(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def test_exmouth_names_western_australia():
    taken = places.find_place("Exmouth")
    assert (taken.country_code, taken.region_name) == ("GB", "England")  # the rule's choice, unchanged
    other = places.find_place("Exmouth, Western Australia")
    lc = _seen_at("2023-04-20", other)
    assert str(lc.kind_seen) == "total"
    code, out, err = run("local", "2023-04-20", "--place", "Exmouth")
    assert code == 0, err
    assert "not visible from Exmouth, United Kingdom" in out  # what England sees, as before
    assert out.splitlines()[-1] == (f"note: Exmouth, Western Australia, Australia sees "
                                    f"{_duration_words(float(lc.duration_s))} of totality "
                                    '(--place "Exmouth, Western Australia")')
    code, out, _ = run("local", "2023-04-20", "--place", "Exmouth", "--format", "json")
    data = json.loads(out)
    assert data["place"] == "Exmouth, United Kingdom" and data["kind_seen"] == "none"
    assert data["namesake"] == {
        "place": "Exmouth, Western Australia, Australia", "option": "Exmouth, Western Australia",
        "latitude": other.latitude, "longitude": other.longitude, "timezone": "Australia/Perth",
        "date": "2023-04-20", "kind_seen": "total", "magnitude_visible": rounded(float(lc.magnitude_visible), 5),
        "duration_s": rounded(float(lc.duration_s), 1)}


def test_principe_names_the_island():
    taken = places.find_place("Principe")
    assert taken.country_code == "ES"  # Principe in Ceuta, by the rule
    assert str(_seen_at("1919-05-29", taken).kind_seen) == "none"
    note = local_note(eclipse.at("1919-05-29"), "Principe", _seen_at("1919-05-29", taken))
    assert note is not None
    island = note.namesake.place
    # on Príncipe (the island is 1.53-1.70 N, 7.33-7.47 E), not on São Tomé
    assert 1.5 < island.latitude < 1.75 and 7.3 < island.longitude < 7.5
    assert places.find_place(note.namesake.option) == island
    lc = _seen_at("1919-05-29", island)
    assert note.kind_seen == str(lc.kind_seen) == "total"
    assert note.duration_s == float(lc.duration_s)
    code, out, _ = run("local", "1919-05-29", "--place", "Principe")
    assert code == 0
    assert out.splitlines()[-1] == (f"note: {island.name} in Príncipe, Sao Tome and Principe sees "
                                    f"{_duration_words(float(lc.duration_s))} of totality "
                                    f'(--place "{note.namesake.option}")')


def test_the_best_of_its_namesakes_has_no_note():
    """Dallas, Texas sees 2024-04-08 longest of all the Dallases: checked
    over every namesake here, and no note, no ``namesake`` key."""
    e = eclipse.at("2024-04-08")
    taken = places.find_place("Dallas")
    others = places.namesakes("Dallas")
    assert len(others) >= 5 and taken not in [n.place for n in others]
    seen = e.local([taken.latitude] + [n.place.latitude for n in others],
                   [taken.longitude] + [n.place.longitude for n in others])
    level, amount = rank(seen)
    assert all((level[i], amount[i]) <= (level[0], amount[0]) for i in range(1, len(others) + 1))
    code, out, _ = run("local", "2024-04-08", "--place", "Dallas")
    # (the table's other notes, such as the one on P and V, name no place)
    assert code == 0 and not [line for line in out.splitlines() if line.startswith("note:") and " sees " in line]
    code, out, _ = run("local", "2024-04-08", "--place", "Dallas", "--format", "json")
    assert "namesake" not in json.loads(out)


def test_coordinates_have_no_namesake():
    code, out, _ = run("local", "2023-04-20", "--place", "50.61723N 3.40233W", "--format", "json")
    assert code == 0 and "namesake" not in json.loads(out)


def test_csv_says_the_note_on_stderr():
    code, out, err = run("local", "2023-04-20", "--place", "Exmouth", "--format", "csv")
    assert code == 0 and "Exmouth, Western Australia" not in out
    assert err.startswith("eclipse: note: Exmouth, Western Australia, Australia sees ")


def test_the_note_joins_the_table_s_notes():
    note = local_note(eclipse.at("2023-04-20"), "Exmouth", _seen_at("2023-04-20", places.find_place("Exmouth")))
    assert note is not None
    line = f"note: {note.text()}\n"
    assert note_lines(note, "Title\nSeen: ...\n") == "Title\nSeen: ...\n\n" + line  # a blank line before
    assert note_lines(note, "Title\n\nnote: the eclipse sets\n") == "Title\n\nnote: the eclipse sets\n" + line
    assert note_lines(None, "Title\n") == "Title\n"


def test_rank_orders_kinds_then_amounts():
    e = eclipse.at("2024-04-08")
    # far away (none), partial (Chicago), off the central line (Dallas), on it near the greatest eclipse
    lc = e.local([40.0, 41.88, 32.78, e.latitude], [100.0, -87.63, -96.8, e.longitude])
    level, amount = rank(lc)
    assert list(lc.kind_seen) == ["none", "partial", "total", "total"]
    assert list(level) == [0, 1, 3, 3]
    assert amount[1] == round(float(lc.magnitude_visible[1]), 3)
    assert amount[2] < amount[3] == np.round(lc.duration_s[3])


def test_next_names_a_namesake_when_the_place_sees_none():
    """Portland, Oregon sees no total eclipse from 2024 to 2124; Portland,
    Indiana saw 2024-04-08's."""
    code, out, err = run("next", "--place", "Portland", "--seen", "total", "--start", "2024-01-01", "--count", "1")
    assert code == 0, err
    assert out.startswith("No total solar eclipse seen from Portland, OR, United States")
    indiana = places.find_place("Portland, IN")
    first = eclipse.next_eclipses(indiana.latitude, indiana.longitude, count=1, seen="total", start="2024-01-01")
    lc = first.eclipses[0].local
    assert first.eclipses[0].eclipse.date == "2024-04-08"
    assert out.splitlines()[-1] == (f"note: Portland, IN, United States sees {_duration_words(float(lc.duration_s))} "
                                    'of totality on 2024-04-08 (--place "Portland, IN")')
    code, out, _ = run("next", "--place", "Portland", "--seen", "total", "--start", "2024-01-01", "--count", "1",
                       "--format", "json")
    data = json.loads(out)
    assert data["eclipses"] == []
    assert data["namesake"]["place"] == "Portland, IN, United States"
    assert data["namesake"]["duration_s"] == rounded(float(lc.duration_s), 1)
    # a place that sees one: no note
    code, out, _ = run("next", "--place", "Portland", "--start", "2024-01-01", "--count", "1", "--format", "json")
    assert json.loads(out)["eclipses"] and "namesake" not in json.loads(out)


def test_namesakes_keep_to_the_qualifiers():
    assert places.namesakes("Exmouth, England") == []
    assert [n.place.country_code for n in places.namesakes("Exmouth")] == ["AU"]
    assert {n.place.country_code for n in places.namesakes("Dallas, United States")} == {"US"}


@pytest.mark.parametrize("name", ["Exmouth", "Dallas", "Principe", "Portland", "Victoria"])
def test_every_option_names_its_namesake(name):
    """The --place the note suggests takes that place: a name where one
    does, else its coordinates (two St Albans in Victoria, Australia)."""
    for n in places.namesakes(name):
        if looks_like_coordinates(n.option):
            assert parse_coordinates(n.option) == pytest.approx((n.place.latitude, n.place.longitude), abs=0.5e-5)
        else:
            assert places.find_place(n.option) == n.place
