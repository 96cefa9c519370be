"""flashpoint: an event-sourced record of the US–militia escalation in Iraq and Syria."""

__version__ = "0.1.0"
