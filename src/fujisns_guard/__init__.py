"""fujisns_guard: check a Japanese municipal social-media draft before it is posted.

    from fujisns_guard import check, Guard
    report = check("看護婦さんを募集します")
"""

from .engine import Guard, check
from .model import Decision, Finding, Report

__all__ = ["Decision", "Finding", "Guard", "Report", "check"]
__version__ = "0.1.0"
