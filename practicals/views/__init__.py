"""Thin views of practicals: booking, printing, following an attempt, grading.

Domain errors raised by services become a translated message (here, when the page can
show it in place) or a response with their status (lms.middleware). One module per
concern; urls.py names each view by its module.
"""
