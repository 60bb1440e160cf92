"""The demo's courses, one module of plain data each, in catalogue order (a course's
prerequisites come before it)."""

from . import fdm, ferme

COURSES = [fdm.COURSE, ferme.COURSE]
