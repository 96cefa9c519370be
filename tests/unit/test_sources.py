"""Who said it (flashpoint.domain.sources): a source from a name or a mapping, and its label."""

from __future__ import annotations

import pytest
from flashpoint.domain import InvalidValue, Source, parse_source
from flashpoint.domain.sources import outlets


def test_a_bare_name_is_a_source_with_its_spaces_folded() -> None:
    assert parse_source("  two Iraqi   militia officials ", "sources[0]") == Source("two Iraqi militia officials")


def test_a_mapping_names_role_outlet_relay_and_anonymity() -> None:
    source = parse_source(
        {"name": "John  Kirby", "role": "Pentagon spokesman", "outlet": "Military Times", "anonymous": True},
        "sources[0]",
    )

    assert source == Source("John Kirby", "Pentagon spokesman", "Military Times", None, True)
    assert parse_source({"name": "AP"}, "sources[0]").anonymous is False


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ("  ", "sources[0]", "a source name must not be empty"),
        (
            7,
            "sources[0]",
            "expected a name or a mapping {name, role, outlet, via, anonymous, url, archived, sha256, title, "
            "published, language}",
        ),
        ({"role": "spokesman"}, "sources[0].name", "required: who said it"),
        ({"name": " "}, "sources[0].name", "required: who said it"),
    ],
)
def test_a_bad_source_is_refused_naming_the_field(value: object, field: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_source(value, "sources[0]")

    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_control_character_in_a_source_is_refused_but_read_back_from_the_log() -> None:
    with pytest.raises(InvalidValue):
        parse_source("A\x07P", "sources[0]")

    assert parse_source("A\x07P", "sources[0]", as_filed=True).name == "A\x07P"
    assert parse_source({"name": "AP", "via": "R\x1beuters"}, "sources[0]", as_filed=True).via == "R\x1beuters"


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (Source("AP"), "AP"),
        (
            Source("John Kirby", role="Pentagon spokesman", outlet="Military Times"),
            "John Kirby (Pentagon spokesman), Military Times",
        ),
        (Source("ACLED", via="Al Sumaria News", outlet="ACLED"), "ACLED via Al Sumaria News"),
        (Source("CENTCOM", outlet="CENTCOM"), "CENTCOM"),
    ],
)
def test_a_source_is_labelled_name_role_then_relay_or_outlet(source: Source, label: str) -> None:
    assert source.label() == label


def test_a_source_reads_back_from_its_stored_form() -> None:
    source = Source("John Kirby", "Pentagon spokesman", "Military Times", "AP", True)

    assert Source.from_dict(source.as_dict()) == source
    assert Source.from_dict({"name": "AP"}) == Source("AP")


def _provenance(**fields: object) -> Source:
    return parse_source({"name": "Associated Press", **fields}, "sources[0]")


def test_a_source_carries_its_provenance_with_the_digest_in_lower_case() -> None:
    source = _provenance(
        url="https://apnews.com/article/iraq-syria",
        archived="https://web.archive.org/web/2021/https://apnews.com/article/iraq-syria",
        sha256="AB" * 32,
        title="  US strikes   Iran-backed militias ",
        published="2021-06-27",
        language="en-US",
    )

    assert source.provenance() == {
        "url": "https://apnews.com/article/iraq-syria",
        "archived": "https://web.archive.org/web/2021/https://apnews.com/article/iraq-syria",
        "sha256": "ab" * 32,
        "title": "US strikes Iran-backed militias",
        "published": "2021-06-27",
        "language": "en-US",
    }
    assert Source.from_dict(source.as_dict()) == source


@pytest.mark.parametrize(
    "url",
    [
        "https://apnews.com",
        "http://www.syriahr.com/en/?p=1#top",
        "HTTPS://APNEWS.COM/x",
        "https://[2001:db8::1]:8080/a",
        "https://مثال.إختبار/خبر",
        "https://example.org/a%20b",
    ],
)
def test_a_url_is_an_absolute_http_or_https_address_with_a_host(url: str) -> None:
    assert _provenance(url=url).url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://apnews.com/x", "only http and https URLs are taken, got a ftp URL"),
        ("javascript:alert(1)", "only http and https URLs are taken, got a javascript URL"),
        ("https://apnews.com/a b", "holds a space"),
        (" https://apnews.com", "holds a space"),
        ("https:///path-only", "is not an http(s) URL with a host"),
        ("https://user@apnews.com", "is not an http(s) URL with a host"),
        ("apnews.com", "is not an http(s) URL with a host"),
        ("/archive/copy.html", "is not an http(s) URL with a host"),
        ("https://apnews.com:123456", "is not an http(s) URL with a host"),
    ],
)
def test_anything_but_an_http_or_https_url_is_refused_as_the_url(url: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _provenance(url=url)

    assert refused.value.field == "sources[0].url"
    assert message in refused.value.message


@pytest.mark.parametrize("archived", ["archive/2021-06-27/ap.html", "C:\\archive\\ap.pdf", "https://archive.ph/abcde"])
def test_an_archived_copy_is_a_url_or_a_path(archived: str) -> None:
    assert _provenance(archived=archived).archived == archived


@pytest.mark.parametrize(
    ("archived", "message"),
    [("ftp://archive.example/ap.html", "only http and https"), ("  ", "blank"), ("https://a b", "holds a space")],
)
def test_an_archived_copy_at_another_kind_of_address_is_refused(archived: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _provenance(archived=archived)

    assert refused.value.field == "sources[0].archived"
    assert message in refused.value.message


@pytest.mark.parametrize("digest", ["a" * 63, "a" * 65, "g" * 64, " " + "a" * 64, 12])
def test_a_digest_is_exactly_sixty_four_hexadecimal_digits(digest: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        _provenance(sha256=digest)

    assert refused.value.field == "sources[0].sha256"
    assert "64 hexadecimal digits" in refused.value.message


@pytest.mark.parametrize("tag", ["en", "ar", "fa", "en-US", "zh-Hant-TW", "es-419", "de-CH-1901", "ckb"])
def test_a_well_formed_language_tag_is_taken(tag: str) -> None:
    assert _provenance(language=tag).language == tag


@pytest.mark.parametrize("tag", ["english", "e", "en_US", "en-", "en-U", "1en", "en US", ""])
def test_a_language_that_is_no_bcp_47_tag_is_refused(tag: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _provenance(language=tag)

    assert refused.value.field == "sources[0].language"
    assert "BCP 47" in refused.value.message


@pytest.mark.parametrize(("day", "message"), [("2021-02-30", "2021-02-30"), ("27 June 2021", "YYYY-MM-DD")])
def test_a_published_day_is_checked_as_every_day_is(day: str, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _provenance(published=day)

    assert refused.value.field == "sources[0].published"
    assert message in refused.value.message


def test_outlets_name_each_publisher_once_with_its_url_then_the_relay() -> None:
    sources = [
        Source("John Kirby", role="Pentagon spokesman"),
        Source("a US defense official", outlet="Military Times"),
        Source("Pentagon officials", outlet="military  times", url="https://www.militarytimes.com"),
        Source("two Iraqi militia officials", via="Associated Press", url="https://apnews.com"),
        Source(
            "SOHR", outlet="Syrian Observatory for Human Rights", via="Associated Press", url="https://www.syriahr.com"
        ),
    ]

    assert outlets(sources) == [
        ("John Kirby", None),
        ("Military Times", "https://www.militarytimes.com"),
        ("Associated Press", "https://apnews.com"),
        ("Syrian Observatory for Human Rights", "https://www.syriahr.com"),
    ]
