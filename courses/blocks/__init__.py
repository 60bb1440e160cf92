"""StreamField blocks: the lesson body library (`lesson`) and quiz questions (`quiz`)."""

from .lesson import LessonStreamBlock
from .quiz import QuizStreamBlock

__all__ = ["LessonStreamBlock", "QuizStreamBlock"]
