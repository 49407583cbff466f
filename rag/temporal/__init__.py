"""Date tagging for news text and temporal intent for questions.

``find_dates`` resolves the dates an article mentions (absolute and relative to its
publication date); ``parse_intent`` reads what a question asks about time; ``value_range``
and ``format_value`` turn the ISO values both produce into ranges and readable text.
"""

from rag.temporal.intent import TemporalIntent, parse_intent
from rag.temporal.tagger import find_dates
from rag.temporal.values import format_value, value_range

__all__ = ["TemporalIntent", "find_dates", "format_value", "parse_intent", "value_range"]
