"""Tests for jeugdmonitor.definitions.cbs_titles: CBS titles matched despite what CBS varies between tables
(apostrophes, quotes, kinds of spaces, letter case), alternatives where CBS renamed an entry,
and still exactly one key per configured title."""

from __future__ import annotations

import pytest

from jeugdmonitor.definitions import cbs_titles
from jeugdmonitor.errors import ConfigError


@pytest.mark.parametrize(("written", "configured"), [
    ("Jeugdregio’s", "Jeugdregio's"),                     # typographic apostrophe (U+2019), as in 2016
    ("Jeugdregio‘s", "Jeugdregio's"),                     # U+2018
    ("Jeugdregioʼs", "Jeugdregio's"),                     # modifier letter apostrophe (U+02BC)
    ("“Totaal” jeugdzorg", '"Totaal" jeugdzorg'),          # typographic quotes
    ("JB 11\u00a0Totaal ondertoezichtstelling", "JB 11 Totaal ondertoezichtstelling"),  # non-breaking space
    ("JB 11 Totaal\u202fondertoezichtstelling", "JB 11 Totaal ondertoezichtstelling"),  # narrow no-break space
    ("JB 12 totaal Voogdij", "JB 12 Totaal voogdij"),      # letter case
    ("  JZ Totaal   jeugdzorg \u00a0", "JZ Totaal jeugdzorg"),  # surrounding, repeated and trailing spaces
])
def test_titles_that_differ_only_in_what_cbs_varies_are_the_same(written, configured):
    assert cbs_titles.normal(written) == cbs_titles.normal(configured)
    assert cbs_titles.matches(configured, written)


@pytest.mark.parametrize(("written", "configured"), [
    ("JB 111 Ondertoezichtstelling", "JB 11 Totaal ondertoezichtstelling"),  # the detail below the total
    ("JB 121 Voogdij", "JB 12 Totaal voogdij"),
    ("Jeugdzorgregio's", "Jeugdregio's"),                                   # another word, not a variant
    ("JZ Totaal jeugdzorg in natura", "JZ Totaal jeugdzorg"),
])
def test_titles_that_differ_in_words_are_not_the_same(written, configured):
    assert not cbs_titles.matches(configured, written)


def test_a_list_accepts_each_alternative_and_a_pattern_its_whole_title():
    renamed = ["Jeugdregio's", "Jeugdzorgregio's"]
    assert cbs_titles.matches(renamed, "Jeugdzorgregio’s") and cbs_titles.matches(renamed, "Jeugdregio's")
    assert not cbs_titles.matches(renamed, "Jeugdregio's (oud)")
    pattern = "^Jeugd(zorg)?regio's$"
    assert cbs_titles.matches(pattern, "Jeugdzorgregio’s") and cbs_titles.matches(pattern, "JEUGDREGIO'S")
    assert not cbs_titles.matches(pattern, "Jeugdregio's 2016")


def test_an_empty_list_or_a_broken_pattern_is_a_configuration_error():
    with pytest.raises(ConfigError, match="lege lijst"):
        cbs_titles.matches([], "Jeugdregio's")
    with pytest.raises(ConfigError, match=r"'\^\(\(' is geen reguliere expressie"):
        cbs_titles.matches("^((", "Jeugdregio's")


FORMS = [
    {"Key": "A027919", "Title": "JB 1 Totaal jeugdbescherming"},
    {"Key": "A028103", "Title": "JB 11 Totaal\u00a0ondertoezichtstelling "},
    {"Key": "A028105", "Title": "JB 111 Ondertoezichtstelling"},
    {"Key": "A028104", "Title": "JB 12 totaal voogdij"},
    {"Key": "A028106", "Title": "JB 121 Voogdij"},
]


def test_match_gives_the_entry_as_the_table_writes_it():
    found = cbs_titles.match(FORMS, {"ots": "JB 11 Totaal ondertoezichtstelling", "voogdij": "JB 12 Totaal voogdij"},
                             "85099NED/VormenVanJeugdzorg")
    assert {name: entry["Key"] for name, entry in found.items()} == {"ots": "A028103", "voogdij": "A028104"}
    assert found["ots"]["Title"] == "JB 11 Totaal\u00a0ondertoezichtstelling "
    assert cbs_titles.resolve(FORMS, ["JB 12 Totaal voogdij"], "x") == {"JB 12 Totaal voogdij": "A028104"}


def test_a_title_matching_no_entry_or_several_stops_listing_the_candidates():
    with pytest.raises(cbs_titles.TitleMatchError,
                       match=r"85099NED/VormenVanJeugdzorg: titel 'JB 11 Ondertoezichtstelling' komt niet voor.*"
                             r"Wel in de lijst: 'A027919' 'JB 1 Totaal jeugdbescherming', 'A028103' 'JB 11 Totaal "
                             r"ondertoezichtstelling'"):
        cbs_titles.match(FORMS, {"ots": "JB 11 Ondertoezichtstelling"}, "85099NED/VormenVanJeugdzorg")
    with pytest.raises(cbs_titles.TitleMatchError,
                       match=r"titel '\^JB 1\.\*' past bij 5 sleutels: 'A027919' .*'A028106' 'JB 121 Voogdij'"):
        cbs_titles.match(FORMS, {"jb": "^JB 1.*"}, "85099NED/VormenVanJeugdzorg")


def test_two_names_on_one_entry_stop_the_match():
    with pytest.raises(cbs_titles.TitleMatchError, match=r"sleutel 'A028104' past bij meer dan één titel \['a', 'b'\]"):
        cbs_titles.match(FORMS, {"a": "JB 12 Totaal voogdij", "b": ["JB 12 Totaal Voogdij", "Voogdij"]}, "x")


def test_an_entry_names_its_titles_by_mapping_or_as_one_title():
    assert cbs_titles.titles_of({"JZ Totaal jeugdzorg": "jeugdzorg_totaal", "JH 1 Totaal jeugdhulp": "jeugdhulp"}) == [
        "JZ Totaal jeugdzorg", "JH 1 Totaal jeugdhulp"]
    assert cbs_titles.titles_of("Totaal mannen en vrouwen") == ["Totaal mannen en vrouwen"]  # never its letters
