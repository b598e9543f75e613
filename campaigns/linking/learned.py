"""A learned role classifier: TF-IDF word and character n-grams plus the rule cues, fed to a
logistic regression fitted on the labelled train split only.

The rules in ``roles`` know phrasing; the model learns how much each phrasing counts and picks
up wording the rules miss. It is fitted at first use from ``tests/data/linking/posts_train.jsonl``
(a few hundred posts: well under a second), with fixed settings and a deterministic solver, so
the same train file always gives the same model. When the file is missing (an installed package
without the repository's tests), ``role_model()`` returns None and the engine uses the rules
alone.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from campaigns.codebook import DEMAND_TYPE, RESPONSE_TYPE, STRUGGLE, TACTIC
from campaigns.linking.context import NO_ECHO

TRAIN_FILE = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "linking" / "posts_train.jsonl"
)
LEARNED_ROLES = ("demand", "action", "response", "outcome", "other")
SOURCE_KINDS = ("worker_group", "company", "news")
COMPANY_CUES = ("acts", "workers", "addressed", "customer")
OUTCOME_CODES = ("met", "partially_met", "not_met", "pending")
RESPONSE_TYPES = RESPONSE_TYPE.values
TACTICS = TACTIC.values
DEMAND_TYPES = DEMAND_TYPE.values
MODEL_CHARS = 500  # the lead of a post says what it is; the rest only adds noise and time
C = 4.0
CHAR_RANGE = (3, 5)  # not 2-5: fewer features, same dev score, grouped CV no worse
CUE_WEIGHT = 6.0  # rule cue scores are on a 0..~8 scale: weigh them against the n-grams
ECHO_WEIGHT = 1.0


@dataclass(frozen=True)
class RoleExample:
    """What the model sees of a post: its text, who posted it and the rules' cue scores."""

    text: str
    source_kind: str | None
    has_company: bool
    cues: dict[str, float]
    company_cues: tuple[str, ...] = ()  # how the company is named: 'acts', 'workers', ...
    echo: tuple[float, float, float] = NO_ECHO  # how it repeats earlier posts (context.py)
    codes: tuple[str, ...] = ()  # the rules' codes: 'outcome:met', 'response:reject', ...


def _meta(example: RoleExample, cue_weight: float = CUE_WEIGHT) -> list[float]:
    values = [float(example.source_kind == kind) for kind in SOURCE_KINDS]
    values.append(float(example.source_kind not in SOURCE_KINDS))
    values.append(float(example.has_company))
    values.extend(cue_weight * example.cues.get(role, 0.0) / 4.0 for role in LEARNED_ROLES)
    values.extend(float(cue in example.company_cues) for cue in COMPANY_CUES)
    values.extend(ECHO_WEIGHT * value for value in example.echo)
    return values


class _LinearTextModel:
    """A logistic regression over a feature matrix that a subclass builds from examples."""

    classifier: LogisticRegression

    def _matrix(self, examples: Sequence[RoleExample], fit: bool = False) -> sparse.csr_matrix:
        raise NotImplementedError

    def fit(self, examples: Sequence[RoleExample], labels: Sequence[str]) -> Self:
        self.classifier.fit(self._matrix(examples, fit=True), list(labels))
        return self

    def _probabilities(self, examples: Sequence[RoleExample]) -> tuple[list[str], np.ndarray]:
        """The classes and each example's row of probabilities."""
        rows = self.classifier.predict_proba(self._matrix(examples))
        return [str(c) for c in self.classifier.classes_], rows


class RoleModel(_LinearTextModel):
    """TF-IDF (word 1-2 grams, char 3-5 grams) + meta features -> logistic regression."""

    def __init__(
        self,
        c: float = C,
        cue_weight: float = CUE_WEIGHT,
        char_range: tuple[int, int] | None = CHAR_RANGE,
        word_range: tuple[int, int] = (1, 2),
        word_min_df: int = 1,
    ) -> None:
        self.cue_weight = cue_weight
        self.words = TfidfVectorizer(
            ngram_range=word_range,
            sublinear_tf=True,
            min_df=word_min_df,
            lowercase=True,
            dtype=np.float64,
        )
        self.chars: TfidfVectorizer | None = None
        if char_range is not None:
            self.chars = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=char_range,
                sublinear_tf=True,
                min_df=2,
                lowercase=True,
                dtype=np.float64,
            )
        self.classifier = _classifier(c)

    def _matrix(self, examples: Sequence[RoleExample], fit: bool = False) -> sparse.csr_matrix:
        texts = [e.text[:MODEL_CHARS] for e in examples]
        blocks = [self.words.fit_transform(texts) if fit else self.words.transform(texts)]
        if self.chars is not None:
            blocks.append(self.chars.fit_transform(texts) if fit else self.chars.transform(texts))
        meta = np.array([_meta(e, self.cue_weight) for e in examples], dtype=np.float64)
        blocks.append(sparse.csr_matrix(meta))
        return sparse.hstack(blocks, format="csr")

    def probabilities(self, examples: Sequence[RoleExample]) -> list[dict[str, float]]:
        """Each example's probability per role."""
        if not examples:
            return []
        classes, rows = self._probabilities(examples)
        return [
            {role: round(float(p), 6) for role, p in zip(classes, row, strict=True)} for row in rows
        ]


def _classifier(c: float) -> LogisticRegression:
    """The logistic regression every learned model here uses (deterministic solver)."""
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver="newton-cg")


class _Ngrams:
    """TF-IDF word 1-2 grams and character n-grams of a post's lead (``MODEL_CHARS``)."""

    def __init__(self) -> None:
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float64)
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=CHAR_RANGE, sublinear_tf=True, min_df=2,
            dtype=np.float64,
        )  # fmt: skip

    def blocks(self, texts: Sequence[str], fit: bool) -> list[sparse.csr_matrix]:
        cut = [text[:MODEL_CHARS] for text in texts]
        if fit:
            return [self.words.fit_transform(cut), self.chars.fit_transform(cut)]
        return [self.words.transform(cut), self.chars.transform(cut)]


class CodeModel(_LinearTextModel):
    """A code read from a post: how a demand ended, how the company responded, which tactic,
    what a demand asks for.

    TF-IDF word and character n-grams plus the rules' codes of the same kind, fed to a logistic
    regression fitted on the train posts labelled with that code. The engine asks it for an
    outcome, a response type, a tactic or a demand type only where no rule phrase names one (a
    phrase is the better evidence where there is one; for the outcome of outcome reports since
    engine 0.24.0: cross-validation unchanged, dev 0.839 -> 0.871).
    """

    def __init__(self, kind: str, values: Sequence[str], c: float = C) -> None:
        self.kind = kind
        self.values = tuple(values)
        self.ngrams = _Ngrams()
        self.classifier = _classifier(c)

    def _matrix(self, examples: Sequence[RoleExample], fit: bool = False) -> sparse.csr_matrix:
        words, chars = self.ngrams.blocks([e.text for e in examples], fit)
        meta = np.array(
            [
                [float(f"{self.kind}:{value}" in e.codes) for value in self.values]
                + [float(e.source_kind == kind) for kind in SOURCE_KINDS]
                for e in examples
            ],
            dtype=np.float64,
        )
        return sparse.hstack([words, chars, sparse.csr_matrix(meta)], format="csr")

    def predict(self, examples: Sequence[RoleExample]) -> list[tuple[str, float]]:
        """Each example's likeliest code with its probability."""
        if not examples:
            return []
        classes, rows = self._probabilities(examples)
        best = rows.argmax(axis=1)
        return [
            (classes[int(i)], round(float(row[int(i)]), 6))
            for i, row in zip(best, rows, strict=True)
        ]


class StruggleModel:
    """What a campaign is about (its struggle: pay, conditions, ethics...), read from the words
    of its posts: TF-IDF word and character n-grams fed to a logistic regression, fitted on the
    train posts of labelled campaigns, each carrying its campaign's struggle.

    A campaign's struggle is the likeliest on average over its posts (``campaigns``), so a demand
    stated in one post and restated in three more outweighs a passing remark.
    """

    def __init__(self, c: float = C) -> None:
        self.ngrams = _Ngrams()
        self.classifier = _classifier(c)

    def _matrix(self, texts: Sequence[str], fit: bool = False) -> sparse.csr_matrix:
        return sparse.hstack(self.ngrams.blocks([t.lower() for t in texts], fit), format="csr")

    def fit(self, texts: Sequence[str], struggles: Sequence[str]) -> Self:
        self.classifier.fit(self._matrix(texts, fit=True), list(struggles))
        return self

    def campaigns(self, said: Sequence[Sequence[str]]) -> list[tuple[str, float] | None]:
        """For each campaign, given the texts of its posts, the likeliest struggle with its mean
        probability (None for a campaign without texts). One pass over every text."""
        texts = [text for campaign in said for text in campaign]
        if not texts:
            return [None] * len(said)
        rows = self.classifier.predict_proba(self._matrix(texts))
        found: list[tuple[str, float] | None] = []
        start = 0
        for campaign in said:
            if not campaign:
                found.append(None)
                continue
            mean = rows[start : start + len(campaign)].mean(axis=0)
            start += len(campaign)
            best = int(mean.argmax())
            found.append((str(self.classifier.classes_[best]), round(float(mean[best]), 6)))
        return found


def campaign_struggles(posts_file: Path) -> dict[str, str]:
    """Each labelled campaign's struggle, from the campaigns file beside a posts file
    (``posts_train.jsonl`` -> ``campaigns_train.json``); empty when there is none."""
    path = posts_file.with_name(
        posts_file.name.replace("posts_", "campaigns_", 1).removesuffix("l")
    )
    if not path.is_file():
        return {}
    campaigns = json.loads(path.read_text(encoding="utf-8"))
    return {
        c["key"]: c["struggle"]
        for c in campaigns
        if c.get("key") and c.get("struggle") in STRUGGLE.values
    }


def fit_struggle_model(
    examples: Sequence[RoleExample], labels: Sequence[dict[str, Any]], struggles: dict[str, str]
) -> StruggleModel | None:
    """The struggle model fitted on the campaign posts among ``examples`` (None when fewer than
    two struggles occur)."""
    chosen = [
        (e.text, struggles[label["campaign"]])
        for e, label in zip(examples, labels, strict=True)
        if label.get("campaign") in struggles and (label.get("role") or "other") != "other"
    ]
    if len({struggle for _, struggle in chosen}) < 2:
        return None
    return StruggleModel().fit([t for t, _ in chosen], [s for _, s in chosen])


@dataclass(frozen=True)
class CodeModels:
    """The code models fitted on one labelled file (None where too few posts carry the code)."""

    outcome: CodeModel | None = None
    response_type: CodeModel | None = None
    tactic: CodeModel | None = None
    demand_type: CodeModel | None = None
    struggle: StruggleModel | None = None

    @property
    def fitted(self) -> bool:
        """Whether any code model was fitted (the struggle model is asked apart)."""
        return any(getattr(self, code) is not None for code in CODES)


# code: (the rules' kind in RoleExample.codes, the roles whose posts carry it, its values)
CODES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "outcome": ("outcome", LEARNED_ROLES, OUTCOME_CODES),
    "response_type": ("response", ("response", "outcome"), RESPONSE_TYPES),
    "tactic": ("tactic", ("action",), TACTICS),
    "demand_type": ("demand", ("demand",), DEMAND_TYPES),
}


def load_labelled(path: Path) -> tuple[list[RoleExample], list[dict[str, Any]]]:
    """Examples and labels from a labelled posts file, in file order, without empty posts.

    The rules' cues and the echoes are computed as the engine does in a run over the file's
    posts.
    """
    # imported here: both import the engine, which imports this module
    from campaigns.evaluation import load_file
    from campaigns.linking.engine import LinkingEngine

    labelled = load_file(path)
    found = LinkingEngine(use_model=False).role_examples([item.post for item in labelled])
    examples: list[RoleExample] = []
    labels: list[dict[str, Any]] = []
    for item, example in zip(labelled, found, strict=True):
        if example is not None:
            examples.append(example)
            labels.append(item.label)
    return examples, labels


def load_examples(path: Path) -> tuple[list[RoleExample], list[str]]:
    """Train examples and their roles from a labelled posts file (see ``load_labelled``)."""
    examples, labels = load_labelled(path)
    return examples, [label.get("role") or "other" for label in labels]


def fit_code_models(
    examples: Sequence[RoleExample],
    labels: Sequence[dict[str, Any]],
    struggles: dict[str, str] | None = None,
) -> CodeModels:
    """Each code's model, fitted on the examples whose role carries it and that are labelled
    with it (None when fewer than two values occur); with ``struggles`` (campaign key ->
    struggle) the campaigns' struggle model too."""
    fitted: dict[str, Any] = {"struggle": fit_struggle_model(examples, labels, struggles or {})}
    for code, (kind, roles, values) in CODES.items():
        chosen = [
            (e, label[code])
            for e, label in zip(examples, labels, strict=True)
            if label.get(code) and (label.get("role") or "other") in roles
        ]
        if len({value for _, value in chosen}) < 2:
            fitted[code] = None
            continue
        model = CodeModel(kind, values)
        fitted[code] = model.fit([e for e, _ in chosen], [value for _, value in chosen])
    return CodeModels(**fitted)


_LOCK = threading.Lock()
_CACHE: dict[Path, tuple[RoleModel | None, CodeModels]] = {}


def _models(path: Path) -> tuple[RoleModel | None, CodeModels]:
    with _LOCK:
        if path not in _CACHE:
            if not path.exists():
                _CACHE[path] = (None, CodeModels())
            else:
                examples, labels = load_labelled(path)
                roles = [label.get("role") or "other" for label in labels]
                role = RoleModel().fit(examples, roles) if len(set(roles)) > 1 else None
                codes = fit_code_models(examples, labels, campaign_struggles(path))
                _CACHE[path] = (role, codes)
        return _CACHE[path]


def role_model(path: Path = TRAIN_FILE) -> RoleModel | None:
    """The role model fitted on ``path`` (cached), or None when the file is not there."""
    return _models(path)[0]


def code_models(path: Path = TRAIN_FILE) -> CodeModels:
    """The code models fitted on ``path`` (cached); all None when the file is not there."""
    return _models(path)[1]
