"""Exchange with qualitative analysis tools through the REFI-QDA standard (QDA-XML 1.0).

QualCoder, NVivo, ATLAS.ti and MAXQDA import a codebook as a ``.qdc`` file and a whole coded
project as a ``.qdpx`` file (a zip of ``project.qde``, the XML, and ``Sources/``, the texts). The
workbook writes both, so an analyst can check or redo the coding in the tool they know, and reads
a ``.qdpx`` back: the codes an analyst applied become the findings' analyst-assigned themes.

Every file is checked against the published schemas (``lib/workbook/specs/refi_qda``) on the way
out and on the way in. Codes carry GUIDs derived from the theme and sub-theme ids, so the same
codebook always exports the same GUIDs and a re-imported project maps codes back to themes
whatever the tool renamed them to; codes are also recognised by the theme id recorded in their
description, or by a theme's label or id as name.
"""
