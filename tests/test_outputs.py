"""The binding from prose (and quiz answers) to snippet outputs."""

from __future__ import annotations

import pytest

from hooks.outputs import OutputRefError, expand, lookup


@pytest.fixture
def root(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "demo.out").write_text(
        "label   total\n"
        "small   124,439,808  (124.4M)\n"
        "large   1,557,611,200\n"
        "C for N=4096, E=8: 1280\n",
        encoding="utf-8",
    )
    return tmp_path


def test_lookup_reads_the_one_line_and_field(root):
    assert lookup("demo", "small", 1, root=root) == "124,439,808"
    assert lookup("demo", "small", root=root) == "124.4M"
    assert lookup("demo", "large", 0, root=root) == "large"
    assert lookup("demo", "C for N=4096", root=root) == "1280"
    assert lookup("demo", "C for N=4096", 3, root=root) == "E=8"


@pytest.mark.parametrize(
    ("name", "key", "field", "message"),
    [
        ("nope", "small", -1, "no golden output snippets/nope.out"),
        ("demo", "medium", -1, "'medium' is on no line"),
        ("demo", "l", -1, "'l' is on 3 lines"),
        ("demo", "small", 5, "has no field 5"),
    ],
)
def test_lookup_fails_clearly(root, name, key, field, message):
    with pytest.raises(OutputRefError, match=message):
        lookup(name, key, field, root=root)


def test_expand_replaces_every_reference(root):
    text = "A {{ out demo | small | 1 }} and {{out demo|large|-1}}."
    assert (
        expand(text, "docs/x.md", root) == "A 124,439,808 and 1,557,611,200."
    )


def test_expand_names_the_page_and_reference(root):
    with pytest.raises(OutputRefError) as err:
        expand("see {{ out demo | huge }}", "docs/x.md", root)
    assert "docs/x.md: {{ out demo | huge }}" in str(err.value)
