"""Course pages, competencies, quizzes and the trainee's learning records, by concern.

A course is a Wagtail page tree: Catalogue > Course > Module > steps. A *step* is any
page that subclasses `CourseStepPage` (lessons and quizzes here, practicals in the
practicals app): courses counts progress over steps without knowing the apps above it.
"""

from .activity import Activity
from .competencies import Competency, CourseCompetency
from .learning import Enrolment, LessonCompletion
from .pages import CatalogPage, CoursePage, CourseStepPage, LessonPage, ModulePage
from .quiz import QuizAttempt, QuizPage
from .topics import Topic

__all__ = [
    "Activity",
    "CatalogPage",
    "Competency",
    "CourseCompetency",
    "CoursePage",
    "CourseStepPage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
    "QuizAttempt",
    "QuizPage",
    "Topic",
]
