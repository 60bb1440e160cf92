"""Signals of the learning path.

`step_completed` is sent (on commit) whenever a course step becomes done for a trainee:
a lesson marked done, a quiz passed, a practical passed. Apps above courses listen to it
(certificates issues when everything is done) without courses knowing them.
"""

from django.dispatch import Signal

# Arguments: user, course (a CoursePage).
step_completed = Signal()
