"""Thematic Review Workbook: the helper library behind the safeguarding partnership annual report.

Notebooks import from here; nothing in a notebook should compute what a function here can.
"""

__version__ = "0.1.0"
