"""Maintainer tools: the PDF and the goldens, and what they share with the
tests (tools/lib.py).

Scripts run by make targets (make pdf, make outputs), not tests and not
mkdocs hooks. Run them from the repository root as modules:
`python -m tools.regen_outputs`, `python -m tools.make_pdf`.
"""
