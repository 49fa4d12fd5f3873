"""The `workbook` commands that start a partnership: `new` (its parameters and an empty, valid
year of data) and `template` (an Excel workbook for agencies to fill). Each command imports
what it needs when it runs, so that the others (and `workbook --help`) start without it."""

from __future__ import annotations

import sys


def cmd_new(args) -> int:
    from workbook.onboarding.scaffold import new_partnership

    made = new_partnership(
        args.partnership,
        args.council,
        args.year,
        args.name,
        args.adults,
        args.params_dir,
        args.data_dir,
        args.dfe_dir,
        args.remit,
        (args.period_start, args.period_end),
    )
    year = made.year_folder.name
    places = ", ".join(f"{c.name} ({c.old_code}, {c.new_code}, {c.region})" for c in made.councils)
    print(f"wrote {made.params_file} for {places}")
    print(f"wrote {made.year_folder}/ (every table's header row, and a README)")
    if made.neighbours:
        print(f"statistical neighbours: {', '.join(made.neighbours)}")
    for note in made.notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"next: workbook template {args.partnership} {year} --out {args.partnership}.xlsx "
        f"(or fill the CSV files), then workbook validate {args.partnership} {year} and "
        f"workbook run {args.partnership} {year}"
    )
    return 0


def cmd_template(args) -> int:
    from workbook.onboarding.template import write_template

    written = write_template(args.partnership, args.year, args.out, args.params_dir, args.data_dir)
    filled = {name: n for name, n in written.rows.items() if n}
    copied = ", ".join(f"{n} {name}" for name, n in filled.items()) or "no rows yet"
    print(f"wrote {written.path}: one sheet per table ({copied}), drop-down lists and instructions")
    if written.problems:
        print(
            f"note: the year's data have {written.problems} problem(s), copied as they were: "
            f"`workbook validate {args.partnership} {args.year}` lists them",
            file=sys.stderr,
        )
    return 0
