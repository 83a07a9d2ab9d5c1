"""Logging helpers: a JSON formatter (LOG_FORMAT=json) and the exception-reporter filter that keeps
note text out of error reports (the 500 emails sent to ADMINS).

Named after the standard module on purpose (`core.logging`); absolute imports keep
`import logging` meaning the standard library everywhere, this file included.
"""

import datetime
import json
import logging
import re

from django.views.debug import SafeExceptionReporterFilter

# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the exception,
    stack and `extra=` fields when there are any. Values JSON cannot hold are written as str()."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRIBUTES and name not in entry and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# Names of variables and POST fields that may hold what people wrote: notes, reflections,
# feedback comments, cancellation reasons. Matched anywhere in the name, in any case.
TEXT_NAMES = re.compile("body|note|reflection|text|comment", flags=re.IGNORECASE)
# Code whose locals and POST data are hidden whatever their names: the sessions app (notes,
# reflections, feedback), the personal-data exports (privacy), and anything named after notes or reflections.
_SENSITIVE_MODULES = ("sessions.", "privacy.")
_SENSITIVE_CODE = re.compile("note|reflection", flags=re.IGNORECASE)


def _is_sensitive_module(module: str) -> bool:
    return module == "sessions" or module.startswith(_SENSITIVE_MODULES) or bool(_SENSITIVE_CODE.search(module))


class NoteSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter (which honours `sensitive_variables` / `sensitive_post_parameters` and hides
    settings like SECRET_KEY), plus, while DEBUG is off:

    - every local variable of a frame in `sessions/`, `privacy/` or a function or module
      named after notes or reflections is hidden;
    - when the request was handled by such a view, every frame's locals and every POST value are
      hidden (Django's own frames — form cleaning, say — hold the submitted text too);
    - elsewhere, locals and POST fields whose names contain body, note, reflection, text or
      comment, or match Django's sensitive names (key, token, password, ...), are hidden.
    """

    def _is_sensitive_request(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        return _is_sensitive_module(getattr(match.func, "__module__", "") or "")

    def _is_sensitive_frame(self, tb_frame) -> bool:
        module = tb_frame.f_globals.get("__name__", "") or ""
        return _is_sensitive_module(module) or bool(_SENSITIVE_CODE.search(tb_frame.f_code.co_name))

    def _is_sensitive_name(self, name) -> bool:
        return isinstance(name, str) and bool(TEXT_NAMES.search(name) or self.hidden_settings.search(name))

    def _cleanse_post(self, request, post):
        if self._is_sensitive_request(request):
            names = list(post)
        else:
            names = [name for name in post if self._is_sensitive_name(name)]
        if not names:
            return post
        post = post.copy()
        for name in names:
            post[name] = self.cleansed_substitute
        return post

    def get_post_parameters(self, request):
        post = super().get_post_parameters(request)
        if request is None or not self.is_active(request):
            return post
        return self._cleanse_post(request, post)

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        # A QueryDict held in a frame's local (request.POST passed around as `data`).
        multivaluedict = super().get_cleansed_multivaluedict(request, multivaluedict)
        if not self.is_active(request):
            return multivaluedict
        return self._cleanse_post(request, multivaluedict)

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        hide_all = self._is_sensitive_frame(tb_frame) or self._is_sensitive_request(request)
        return [
            (name, self.cleansed_substitute if hide_all or self._is_sensitive_name(name) else value)
            for name, value in variables
        ]
