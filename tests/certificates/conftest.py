import pytest

from tests.fixtures.progress import practical_passed


@pytest.fixture
def passed(course, trainee, instructor, offline_printer):
    """The trainee has met every requirement of the course."""
    return practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
