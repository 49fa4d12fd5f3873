"""The `workbook` commands of the thematic coding: `code` (a findings CSV into themes) and
`codebook` (export, suggest, apply, import-qdpx: the exchange with an analyst's coding and QDA
tools). Heavy imports happen inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path

from workbook.core.errors import OutputsError, WorkbookError


def cmd_code(args) -> int:
    from workbook.coding.codebook import load_codebook
    from workbook.coding.coder import code_file
    from workbook.coding.findings import read_findings_csv

    codebook = load_codebook(args.codebook) if args.codebook else load_codebook()
    sources = _read_sources(args.sources) if args.sources else None
    coded = code_file(
        args.file, args.out, codebook, sources=sources, count_source_themes=args.count_source_themes
    )
    id_column = coded.columns[0]
    uncoded = coded.loc[coded["source"] == "uncoded", id_column].nunique()
    print(f"coded {coded[id_column].nunique()} findings into {args.out} ({uncoded} with no theme)")
    if args.qdpx:
        from workbook.coding.refi.project import write_project_qdpx

        findings = read_findings_csv(args.file)
        write_project_qdpx(coded, findings, codebook, args.qdpx, name=args.file.stem)
        print(
            f"wrote the coded findings as a REFI-QDA project to {args.qdpx} (open it in "
            "QualCoder, NVivo or ATLAS.ti)"
        )
    return 0


def _read_sources(path: Path):
    """A CSV of the findings' sources: source_id, kind (review or audit type), and optionally
    source_type and title (the contract's reviews and audits, or one file of both)."""
    from workbook.coding.findings import read_findings_csv

    sources = read_findings_csv(path)
    missing = [column for column in ("source_id", "kind") if column not in sources.columns]
    if missing:
        raise WorkbookError(
            f"{path} lacks column(s) {', '.join(missing)}: give source_id, kind "
            "(review_type or audit_type), and optionally source_type and title"
        )
    return sources


def cmd_codebook(args) -> int:
    """`workbook codebook export|suggest|apply|import-qdpx`."""
    from workbook.coding.codebook import load_codebook

    if args.action == "apply":  # read first: a file beyond its budget is refused at once
        from workbook.coding.suggest import read_suggestions

        suggestions = read_suggestions(args.suggestions)
    codebook = load_codebook(args.codebook) if args.codebook else load_codebook()
    if args.action == "export":
        from workbook.coding.refi.codes import write_codebook_qdc

        write_codebook_qdc(codebook, args.qdc)
        print(
            f"wrote codebook {codebook.version} ({len(codebook.themes)} themes) as a REFI-QDA "
            f"codebook to {args.qdc}"
        )
    elif args.action == "suggest":
        from workbook.coding.findings import read_findings_csv
        from workbook.coding.suggest import suggest, suggestions_yaml

        found = suggest(read_findings_csv(args.findings), codebook, min_support=args.min_support)
        try:
            args.out.write_text(suggestions_yaml(found), encoding="utf-8")
        except OSError as exc:
            raise OutputsError(f"cannot write the suggestions to {args.out}: {exc}") from None
        adds = sum(item.kind == "add" for item in found)
        print(
            f"{adds} phrase(s) to add and {len(found) - adds} exclusion(s) suggested in "
            f"{args.out}: set 'accept: true' on those you agree with, then run "
            f"'workbook codebook apply {args.out}'"
        )
    elif args.action == "apply":
        from workbook.coding.suggest import apply_suggestions

        applied = apply_suggestions(suggestions, codebook.path)
        print(
            f"applied {applied} accepted suggestion(s) to {codebook.path}; change its "
            "version so coded files say which codebook coded them"
        )
    else:
        _import_qdpx(args, codebook)
    return 0


def _import_qdpx(args, codebook) -> None:
    """An analyst's coding from a .qdpx as the themes column of a findings CSV."""
    from workbook.coding.findings import read_findings_csv, validate_findings
    from workbook.coding.refi.project import read_project_qdpx
    from workbook.core.spreadsheet_safety import write_csv

    imported = read_project_qdpx(args.project, codebook, accept_automatic=args.accept_automatic)
    for name in imported.unknown_codes:
        print(
            f"warning: code {name!r} is not a theme of the codebook; its codings were left "
            "out (rename it to a theme, or add the theme to the codebook)",
            file=sys.stderr,
        )
    table = imported.findings
    if args.findings:
        findings = read_findings_csv(args.findings)
        id_column = validate_findings(findings, str(args.findings))
        themes = dict(zip(table["finding_id"], table["themes"], strict=True))
        known = findings[id_column].astype(str).isin(themes)
        if "themes" not in findings.columns:
            findings["themes"] = ""
        findings.loc[known, "themes"] = findings.loc[known, id_column].astype(str).map(themes)
        missing = sorted(set(themes) - set(findings[id_column].astype(str)))
        if missing:
            print(
                f"warning: {len(missing)} finding(s) of the project are not in "
                f"{args.findings} (e.g. {', '.join(missing[:5])})",
                file=sys.stderr,
            )
        table = findings
    try:
        write_csv(table, args.out)
    except OSError as exc:
        raise OutputsError(f"cannot write {args.out}: {exc}") from None
    coded = int((imported.findings["themes"] != "").sum())
    print(
        f"read the analyst's coding of {coded} of {len(imported.findings)} findings from "
        f"{args.project} into {args.out} (themes column)"
    )
