"""Maintainer tools: the PDF, the goldens, the flashcard exports.

Scripts run by make targets (make pdf, make outputs, make anki), not tests
and not mkdocs hooks.
"""
