"""The labelled splits follow tests/data/linking/FORMAT.md (ids, references, label keys)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from campaigns.evaluation import LABELLED_DIR, SPLITS
from campaigns.linking.roles import ROLES

ID_SHAPES = {
    "x": re.compile(r"^\d{19}$"),
    "mastodon": re.compile(r"^\d{18}$"),
    "bluesky": re.compile(r"^at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[a-z2-7]{13}$"),
}
PREFIX = {"dev": "d-", "test": "t-", "train": "tr-"}


def _split(split: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    posts_path = LABELLED_DIR / f"posts_{split}.jsonl"
    if not posts_path.exists():
        pytest.skip(f"{posts_path.name} is not there")
    posts = [json.loads(line) for line in posts_path.read_text("utf-8").splitlines() if line]
    campaigns = json.loads((LABELLED_DIR / f"campaigns_{split}.json").read_text("utf-8"))
    return posts, campaigns


@pytest.mark.parametrize("split", SPLITS)
def test_posts_and_labels_follow_the_format(split: str) -> None:
    posts, campaigns = _split(split)
    demands = {d["key"]: c["key"] for c in campaigns for d in c["demands"]}
    keys = {c["key"] for c in campaigns}
    urls = {p["url"] for p in posts}
    assert all(key.startswith(PREFIX[split]) for key in keys)
    seen: set[tuple[str, str]] = set()
    for post in posts:
        where = f"{split}: {post['platform_post_id']}"
        shape = ID_SHAPES.get(post["platform"])
        assert post["platform"] in ("x", "bluesky", "mastodon", "feed"), where
        assert shape is None or shape.match(post["platform_post_id"]), where
        assert (post["platform"], post["platform_post_id"]) not in seen, where
        seen.add((post["platform"], post["platform_post_id"]))
        assert post["source_kind"] in ("worker_group", "company", "news", None), where
        for ref in (post["quote_of"], post["reply_to"]):
            assert ref is None or ref in urls, where
        label = post["label"]
        assert label["role"] in ROLES, where
        assert label["campaign"] is None or label["campaign"] in keys, where
        if label["demand"] is not None:
            assert demands.get(label["demand"]) == label["campaign"], where


def test_splits_share_no_campaign_and_no_post() -> None:
    seen_posts: dict[str, str] = {}
    seen_campaigns: dict[str, str] = {}
    for split in SPLITS:
        if not (LABELLED_DIR / f"posts_{split}.jsonl").exists():
            continue
        posts, campaigns = _split(split)
        for post in posts:
            key = f"{post['platform']}:{post['platform_post_id']}"
            assert seen_posts.setdefault(key, split) == split, key
        for campaign in campaigns:
            assert seen_campaigns.setdefault(campaign["key"], split) == split


UNSEEN = sorted((LABELLED_DIR / "unseen").glob("posts_*.jsonl"))


@pytest.mark.parametrize("path", UNSEEN, ids=lambda p: p.name)
def test_unseen_sets_follow_the_format_and_share_nothing_with_the_splits(path: Any) -> None:
    from campaigns.evaluation import load_file

    labelled = load_file(path)  # raises on a bad line, naming it
    posts = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    campaigns = json.loads(path.with_name(path.name.replace("posts_", "campaigns_").replace(
        ".jsonl", ".json")).read_text("utf-8"))  # fmt: skip
    keys = {c["key"] for c in campaigns}
    urls = {p["url"] for p in posts}
    split_posts = {
        f"{p['platform']}:{p['platform_post_id']}" for split in SPLITS for p in _split(split)[0]
    }
    split_campaigns = {c["key"] for split in SPLITS for c in _split(split)[1]}
    assert len(labelled) == len(posts)
    for post in posts:
        where = f"{path.name}: {post['platform_post_id']}"
        assert post["platform_post_id"] and post["url"], where  # importable as it is
        shape = ID_SHAPES.get(post["platform"])
        assert shape is None or shape.match(post["platform_post_id"]), where
        assert f"{post['platform']}:{post['platform_post_id']}" not in split_posts, where
        # a real public page about the campaign
        assert post["source"].startswith(("https://", "http://")), where
        for ref in (post["quote_of"], post["reply_to"]):
            assert ref is None or ref in urls, where
        label = post["label"]
        assert label["campaign"] is None or label["campaign"] in keys, where
    assert not keys & split_campaigns
