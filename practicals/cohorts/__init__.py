"""Cohorts: a training session at a farm (model in `practicals.models.cohorts`).

`selectors` scopes who sees which cohort (every view, admin screen and export goes
through it), `services` invites trainees (one by one or from a CSV), `progress` builds
the instructor's grid and the funders' export.
"""
