"""Reading a return's layout: from a reader's blocks to task, plan and summary records."""

from pipeline.layout.interpret import interpret

__all__ = ["interpret"]
