"""Learning from the analyst: codebook changes proposed from where the analyst and the coder differ.

Where the analyst gave a finding a theme the codebook missed, phrases shared by several such
findings (and rare in findings without the theme) are proposed as new patterns. Where the coder
gave a theme the analyst did not, the words around the coder's evidence that recur in those
findings (and never around correct evidence) are proposed as ``unless`` exclusions of the pattern
that matched. Nothing changes until the analyst accepts a suggestion (``accept: true`` in the
suggestions file) and applies the file, which edits the codebook keeping its comments and checks
the result loads.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from ruamel.yaml import YAML

from workbook.coding.codebook import Codebook, CodebookError, load_codebook
from workbook.coding.coder import ANALYST, AUTOMATIC, code_findings
from workbook.coding.findings import ID_COLUMNS
from workbook.coding.patterns import pattern_to_regex
from workbook.coding.vocabulary import is_content, lemma
from workbook.core.errors import WorkbookError
from workbook.core.yamlfile import CODEBOOK, SUGGESTIONS, BudgetExceeded, YAMLError, load_file

_WORD = re.compile(r"[a-z][a-z'’\-]*[a-z]|[a-z]")
_EDGE_STOPWORD_TEXT = """
    a an and are as at be been but by for from had has have in into is it its of on or so than
    that the their them there these they this those to was were which who with within without
    not no all any some more most other such very can could may might must should would will
    also only when where while if then
"""
_EDGE_STOPWORDS = frozenset(_EDGE_STOPWORD_TEXT.split())


@dataclass
class Suggestion:
    """One proposed change: ``add`` a phrase to a sub-theme, or ``exclude`` a context phrase
    from a pattern (its ``unless``). ``support``: findings it would put right; ``against``:
    analyst-coded findings it would get wrong; ``examples``: ids of supporting findings."""

    kind: str
    theme: str
    subtheme: str
    phrase: str
    unless: str | None = None
    support: int = 0
    against: int = 0
    examples: list[str] = field(default_factory=list)
    accept: bool = False


def suggest(
    findings: pd.DataFrame,
    codebook: Codebook | None = None,
    min_support: int = 2,
    min_precision: float = 0.8,
    per_theme: int = 5,
) -> list[Suggestion]:
    """Suggestions from the findings an analyst coded (their ``themes`` column)."""
    codebook = codebook if codebook is not None else load_codebook()
    if "themes" not in findings.columns:
        raise WorkbookError("suggestions need the analyst's coding: a 'themes' column")
    coded = code_findings(findings, codebook)
    id_column = next(name for name in ID_COLUMNS if name in coded.columns)
    analysed = coded.loc[coded["source"] == ANALYST, id_column].unique()
    if not len(analysed):
        raise WorkbookError("no finding has analyst themes: code some findings first")
    texts = dict(
        zip(findings[id_column].astype(str), findings["text"].fillna("").astype(str), strict=True)
    )
    analyst = _themes_by_finding(coded, ANALYST, id_column)
    automatic = _themes_by_finding(coded, AUTOMATIC, id_column)
    ids = [str(ident) for ident in analysed]
    suggestions = _additions(
        ids, texts, analyst, automatic, codebook, min_support, min_precision, per_theme
    )
    suggestions += _exclusions(
        ids, texts, analyst, coded, id_column, codebook, min_support, per_theme
    )
    return suggestions


def _themes_by_finding(coded: pd.DataFrame, source: str, id_column: str) -> dict[str, set[str]]:
    rows = coded[coded["source"] == source]
    found: dict[str, set[str]] = defaultdict(set)
    for ident, theme in zip(rows[id_column].astype(str), rows["theme"], strict=True):
        found[ident].add(theme)
    return found


def _ngrams(text: str, longest: int = 3) -> set[str]:
    """Lower-case runs of one to ``longest`` words that start and end on a content word (no stop
    word, no word every report uses: ``workbook.coding.vocabulary``)."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    content = [is_content(lemma(word), word) for word in words]
    grams = set()
    for size in range(1, longest + 1):
        for start in range(len(words) - size + 1):
            if content[start] and content[start + size - 1]:
                grams.add(" ".join(words[start : start + size]))
    return grams


def _best_subtheme(theme, gram: str) -> str:
    """The sub-theme whose patterns share most words with ``gram`` (else the first)."""
    words = {lemma(word) for word in gram.split()}

    def shared(sub) -> int:
        return sum(
            len(words & {lemma(w) for w in re.findall(r"[a-z']+", rule.phrase.lower())})
            for rule in sub.rules
        )

    return max(theme.subthemes, key=shared).id


def _additions(
    ids, texts, analyst, automatic, codebook, min_support, min_precision, per_theme
) -> list[Suggestion]:
    grams = {ident: _ngrams(texts[ident]) for ident in ids}
    containing: dict[str, list[str]] = defaultdict(list)
    for ident in ids:
        for gram in grams[ident]:
            containing[gram].append(ident)
    out: list[Suggestion] = []
    for theme in codebook.themes:
        missed = [
            ident
            for ident in ids
            if theme.id in analyst[ident] and theme.id not in automatic[ident]
        ]
        counts = Counter(gram for ident in missed for gram in grams[ident])
        scored = []
        for gram, support in counts.items():
            if support < min_support:
                continue
            having = containing[gram]
            right = sum(theme.id in analyst[ident] for ident in having)
            if right / len(having) >= min_precision:
                scored.append((-support, -right / len(having), len(gram.split()), gram))
        candidates = [gram for *_, gram in scored]
        covered = {candidates[i] for i in codebook.scan_many(candidates)["text"].tolist()}
        scored = [item for item in scored if item[-1] not in covered]
        chosen: list[str] = []
        for _, _, _, gram in sorted(scored):
            if any(gram in kept or kept in gram for kept in chosen):
                continue
            chosen.append(gram)
            having = containing[gram]
            out.append(
                Suggestion(
                    "add",
                    theme.id,
                    _best_subtheme(theme, gram),
                    gram,
                    support=sum(ident in missed for ident in having),
                    against=sum(theme.id not in analyst[ident] for ident in having),
                    examples=[ident for ident in having if ident in missed][:5],
                )
            )
            if len(chosen) == per_theme:
                break
    return out


def _exclusions(
    ids, texts, analyst, coded, id_column, codebook, min_support, per_theme
) -> list[Suggestion]:
    rows = coded[(coded["source"] == AUTOMATIC) & coded[id_column].astype(str).isin(ids)]
    contexts: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(
        lambda: {"wrong": [], "right": []}
    )
    for ident, theme, sub, evidence in zip(
        rows[id_column].astype(str), rows["theme"], rows["subtheme"], rows["evidence"], strict=True
    ):
        verdict = "right" if theme in analyst[ident] else "wrong"
        phrase = _pattern_of(codebook, theme, sub, evidence)
        for context in _around(texts[ident], evidence):
            contexts[(theme, sub, phrase), context][verdict].append(ident)
    out: list[Suggestion] = []
    per_key: Counter[tuple[str, str]] = Counter()
    ranked = sorted(contexts.items(), key=lambda item: -len(item[1]["wrong"]))
    for ((theme, sub, phrase), context), found in ranked:
        wrong, right = sorted(set(found["wrong"])), sorted(set(found["right"]))
        if len(wrong) < min_support or right or per_key[theme, sub] >= per_theme:
            continue
        per_key[theme, sub] += 1
        out.append(
            Suggestion(
                "exclude",
                theme,
                sub,
                phrase,
                unless=context,
                support=len(wrong),
                against=len(right),
                examples=wrong[:5],
            )
        )
    return out


def _pattern_of(codebook: Codebook, theme_id: str, sub_id: str, evidence: str) -> str:
    """The pattern of the sub-theme that matches the evidence (the first that does)."""
    sub = next(s for s in codebook.theme(theme_id).subthemes if s.id == sub_id)
    for rule in sub.rules:
        phrase = pattern_to_regex(rule.phrase)
        flags = re.IGNORECASE if phrase.is_raw else 0
        target = evidence if phrase.is_raw or phrase.case_sensitive else evidence.lower()
        if re.fullmatch(phrase.source, target, flags):
            return rule.phrase
    return sub.rules[0].phrase


def _around(text: str, evidence: str) -> list[str]:
    """The evidence with the word before it, and with the word after it, lower case."""
    start = text.find(evidence)
    if start < 0 or not evidence:
        return []
    before = _WORD.findall(text[:start].lower())
    after = _WORD.findall(text[start + len(evidence) :].lower())
    core = evidence.lower()
    found = []
    if before and before[-1] not in _EDGE_STOPWORDS:
        found.append(f"{before[-1]} {core}")
    if after and after[0] not in _EDGE_STOPWORDS:
        found.append(f"{core} {after[0]}")
    return found


# --------------------------------------------------------------------------------------------------
# The suggestions file and applying it
# --------------------------------------------------------------------------------------------------

_HEADER = """\
# Codebook suggestions from the findings an analyst coded differently from the codebook.
# Read each one, set `accept: true` on those you agree with, then apply the file:
#     workbook codebook apply THIS_FILE
# add:      a phrase for the sub-theme (change `subtheme` if another fits better)
# exclude:  an `unless` context for the pattern `phrase` of the sub-theme
# support:  findings it would put right; against: analyst-coded findings it would get wrong
"""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def suggestions_yaml(suggestions: list[Suggestion]) -> str:
    """The suggestions as the YAML file an analyst edits (``accept`` false throughout)."""
    items = []
    for item in suggestions:
        row = {key: value for key, value in asdict(item).items() if value is not None}
        items.append(row)
    buffer = io.StringIO()
    _yaml().dump({"suggestions": items}, buffer)
    return _HEADER + buffer.getvalue()


def read_suggestions(path: str | Path) -> list[Suggestion]:
    """The suggestions of a file written by ``suggestions_yaml`` (and edited by an analyst)."""
    source = Path(path)
    try:
        load_file(source, SUGGESTIONS)  # within budget before ruamel expands anything
        data = _yaml().load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbookError(f"cannot read the suggestions {source}: {exc}") from None
    except BudgetExceeded as exc:
        raise WorkbookError(str(exc)) from None
    except Exception as exc:  # ruamel raises several YAML error types
        raise WorkbookError(f"{source} is not valid YAML: {exc}") from None
    items = (data or {}).get("suggestions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise WorkbookError(
            f"{source} has no 'suggestions' list (write one with 'workbook codebook suggest')"
        )
    out = []
    for number, item in enumerate(items, start=1):
        try:
            out.append(Suggestion(**dict(item)))
        except TypeError as exc:
            raise WorkbookError(f"{source}, suggestion {number}: {exc}") from None
    return out


def apply_suggestions(suggestions: list[Suggestion], codebook_file: str | Path) -> int:
    """Write the accepted suggestions into the codebook file, keeping its comments; the edited
    codebook must load, or nothing is written. Returns how many were applied."""
    path = Path(codebook_file)
    yaml = _yaml()
    try:
        load_file(path, CODEBOOK)  # within budget before ruamel expands anything
    except BudgetExceeded as exc:
        raise CodebookError(f"codebook {exc}") from None
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise CodebookError(f"codebook {path} cannot be read: {exc}") from None
    document = yaml.load(path.read_text(encoding="utf-8"))
    applied = 0
    for item in (s for s in suggestions if s.accept):
        sub = _find_subtheme(document, item, path)
        patterns = sub["patterns"]
        if item.kind == "add":
            if item.phrase not in [_phrase(p) for p in patterns]:
                patterns.append(item.phrase)
                applied += 1
        elif item.kind == "exclude":
            applied += _add_unless(patterns, item, path)
        else:
            raise WorkbookError(f"suggestion kind {item.kind!r} is neither add nor exclude")
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
    trial = path.with_name(f".{path.name}.check")
    trial.write_text(text, encoding="utf-8")
    try:
        load_codebook(trial)
    except CodebookError as exc:
        raise WorkbookError(
            f"the accepted suggestions would break the codebook, so {path} was not changed: {exc}"
        ) from None
    finally:
        trial.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")
    return applied


def _phrase(pattern) -> str:
    return pattern["phrase"] if isinstance(pattern, dict) else str(pattern)


def _find_subtheme(document, item: Suggestion, path: Path):
    for theme in document["themes"]:
        for sub in theme["subthemes"]:
            if sub["id"] == item.subtheme:
                return sub
    raise WorkbookError(
        f"{path} has no sub-theme {item.subtheme!r} (suggestion for {item.phrase!r})"
    )


def _add_unless(patterns, item: Suggestion, path: Path) -> int:
    for index, pattern in enumerate(patterns):
        if _phrase(pattern) != item.phrase:
            continue
        if not isinstance(pattern, dict):
            patterns[index] = {"phrase": str(pattern), "unless": [item.unless]}
            return 1
        unless = pattern.setdefault("unless", [])
        if item.unless in unless:
            return 0
        unless.append(item.unless)
        return 1
    raise WorkbookError(f"{path}: sub-theme {item.subtheme!r} has no pattern {item.phrase!r}")
