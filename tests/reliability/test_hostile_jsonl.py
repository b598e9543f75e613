"""Hostile JSONL post files: a clear PostFileError or a correct import, never anything else.

hypothesis generates random bytes, random JSON lines, and valid post lines whose fields are
hostile (NUL bytes, huge or overlong values, formulas, odd encodings and byte-order marks).
A refused file must leave every table as it was; an imported one must hold exactly its posts.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from campaigns.post_imports import PostFileError, import_posts_file
from db.models import Post
from tests.reliability.test_hostile_csv import table_counts

pytestmark = pytest.mark.slow

INPUTS: Counter[str] = Counter()
HOSTILE = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
_serial = itertools.count()


@pytest.fixture
def importer(engine: Engine, tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    yield engine, tmp_path
    print(f"\nhostile JSONL inputs tried so far: {dict(INPUTS)} (total {sum(INPUTS.values())})")


def import_or_refuse(engine: Engine, directory: Path, data: bytes, kind: str) -> bool:
    INPUTS[kind] += 1
    path = directory / f"hostile-{next(_serial)}.jsonl"
    path.write_bytes(data)
    before = table_counts(engine)
    try:
        import_posts_file(engine, path)
    except PostFileError as error:
        message = error.render()
        assert str(path) in message and "nothing was imported" in message
        assert table_counts(engine) == before, "a refused file changed the store"
        return False
    finally:
        path.unlink()
    return True


def post_line(**overrides: Any) -> dict[str, Any]:
    post: dict[str, Any] = {
        "platform": "bluesky",
        "platform_post_id": f"at://did:plc:hostile/app.bsky.feed.post/{next(_serial)}",
        "author_handle": "workers.bsky.social",
        "posted_at": "2024-03-01T12:00:00+00:00",
        "text": "We demand a fair contract",
        "url": "https://bsky.app/profile/workers.bsky.social/post/1",
        "lang": "en",
        "source_kind": "worker_group",
    }
    post.update(overrides)
    return post


@HOSTILE
@given(data=st.binary(max_size=3000))
def test_random_bytes(importer: tuple[Engine, Path], data: bytes) -> None:
    engine, directory = importer
    import_or_refuse(engine, directory, data, "random bytes")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["platform", "platform_post_id", "text", "posted_at", "data", "id", "x"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@HOSTILE
@given(lines=st.lists(JSON_VALUES, min_size=1, max_size=5))
def test_random_json_lines(importer: tuple[Engine, Path], lines: list[Any]) -> None:
    engine, directory = importer
    data = "\n".join(json.dumps(line) for line in lines).encode()
    import_or_refuse(engine, directory, data, "random JSON")


FIELD = st.text(max_size=200) | st.sampled_from(
    ["a\x00b", '=HYPERLINK("http://evil.example")', "x" * 600, "y" * 2500, "", " ", "\ufeff"]
)


@HOSTILE
@given(
    text=FIELD,
    post_id=FIELD,
    author=FIELD,
    url=FIELD,
    lang=FIELD,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
)
def test_hostile_fields_in_valid_lines(
    importer: tuple[Engine, Path],
    text: str,
    post_id: str,
    author: str,
    url: str,
    lang: str,
    encoding: str,
) -> None:
    engine, directory = importer
    post_id = f"{next(_serial)}-{post_id}"  # a new post each example, never a duplicate
    post = post_line(text=text, platform_post_id=post_id, author_handle=author, url=url, lang=lang)
    line = json.dumps(post, ensure_ascii=encoding == "latin-1") + "\n"
    data = line.encode(encoding, errors="replace")
    if import_or_refuse(engine, directory, data, "hostile fields"):
        with Session(engine) as session:
            stored = session.exec(
                select(Post).where(Post.platform == "bluesky", Post.platform_post_id == post_id)
            ).first()
        assert stored is not None
        assert stored.text == text


def test_overlong_values_are_named_not_crashing(engine: Engine, tmp_path: Path) -> None:
    data = (json.dumps(post_line(platform_post_id="p" * 501)) + "\n").encode()
    assert not import_or_refuse(engine, tmp_path, data, "overlong")


def test_a_file_in_latin1_is_refused_clearly(engine: Engine, tmp_path: Path) -> None:
    data = (json.dumps(post_line(text="Grève"), ensure_ascii=False) + "\n").encode("latin-1")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(data)
    with pytest.raises(PostFileError, match="UTF-8"):
        import_posts_file(engine, path)


def test_half_a_character_is_named_with_its_line(engine: Engine, tmp_path: Path) -> None:
    """A lone surrogate ("\\ud83d", half of an emoji cut by the tool that wrote the file) cannot
    be stored in UTF-8: the line is named with what is wrong, and nothing is imported."""
    lines = [post_line(platform_post_id="ok"), post_line(text="cut \ud83d", platform_post_id="cut")]
    path = tmp_path / "half.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(PostFileError) as refused:
        import_posts_file(engine, path)
    assert "line 2" in str(refused.value) and "half of a character" in str(refused.value)
    with Session(engine) as session:
        assert session.exec(select(Post)).first() is None
