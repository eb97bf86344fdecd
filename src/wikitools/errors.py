"""The one family of errors wikitools raises, and the exit code each one means.

Everything below the CLI raises a :class:`WikitoolsError` subclass; the CLI turns it into one line on
stderr and the subclass's ``exit_code``. No other module decides exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, shared by every command."""

    OK = 0
    FINDINGS = 1  # lint findings, sync conflicts or refusals
    USAGE = 2  # bad input or bad usage
    WIKI = 3  # wiki, network or login errors


class WikitoolsError(Exception):
    """Root of every error wikitools raises on purpose.

    ``subject`` names what the error is about (a path or a page title), ``hint`` says what to do.
    ``str(error)`` reads as ``subject: message (hint)``.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, subject: object = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.subject = None if subject is None else str(subject)
        self.hint = hint

    def __str__(self) -> str:
        text = self.message if self.subject is None else f"{self.subject}: {self.message}"
        return text if self.hint is None else f"{text} ({self.hint})"


class InputError(WikitoolsError):
    """A file, argument or piece of configuration that wikitools cannot use."""

    exit_code = ExitCode.USAGE


class FormatError(InputError):
    """Input that is not valid in the format it claims to be (bad XML, bad JSON, ...)."""


class ConfigError(InputError):
    """A configuration file or value that cannot be used."""


class TitleError(InputError):
    """A page title MediaWiki would reject."""


class ConflictError(WikitoolsError):
    """Work was refused or left for the user to resolve so that nobody's edits are lost."""

    exit_code = ExitCode.FINDINGS


class LockedError(WikitoolsError):
    """Another wikitools process is working on the same directory."""

    exit_code = ExitCode.USAGE


class WikiError(WikitoolsError):
    """The wiki answered with an error, or could not be reached."""

    exit_code = ExitCode.WIKI


class ApiError(WikiError):
    """The API answered with an error code."""

    def __init__(
        self, message: str, *, code: str | None = None, subject: object = None, hint: str | None = None
    ) -> None:
        super().__init__(message, subject=subject, hint=hint)
        self.code = code


class RetryExhausted(ApiError):
    """The wiki kept asking to wait (lag, rate limit, read-only) until the retry deadline passed; ``code``
    says which. Work should stop here rather than go on with the next page."""


class NetworkError(WikiError):
    """The wiki could not be reached, or kept failing until the retry deadline passed."""


class LoginError(WikiError):
    """Logging in failed, or credentials were refused before they were sent."""


class DevWikiError(WikiError):
    """The throwaway development wiki could not be installed, started or stopped."""
