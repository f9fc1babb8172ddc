"""The office acting for a producer: assisted submission at the commune's help desk.

An official chooses a producer (kept in the session, so it ends with the login); while
it is set, every log entry the official makes on that producer's things (its page and
products in every language, and the images and documents of its media collection)
records the producer in its `data` (`on_behalf_of`), and the page history and site
history show "…, on behalf of <producer>" beside the official's name. Only the office
may act for a producer: the session's choice is ignored for anyone else.

The middleware puts the producer in a context variable for the request, because log
entries are written deep inside Wagtail's views, with no request at hand.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.signals import pre_save
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext
from wagtail.models import Collection, ModelLogEntry, Page, PageLogEntry

from marketplace.core.office import is_office_user
from producers.models import ProducerPage

SESSION_KEY = "guidance_acting_for"
DATA_KEY = "on_behalf_of"


@dataclass(frozen=True)
class ActingFor:
    """The producer the office acts for in this request, the paths of its pages and of its
    media collection."""

    producer_id: int
    name: str
    paths: tuple[str, ...]
    collection_path: str | None = None

    def covers(self, page_id: int | None) -> bool:
        """Whether the page is the producer's page or one of its products."""
        if page_id is None:
            return False
        within = Q()
        for path in self.paths:
            within |= Q(path__startswith=path)
        return bool(self.paths) and Page.objects.filter(within, pk=page_id).exists()

    def covers_media(self, instance: object) -> bool:
        """Whether an image or document (anything in a collection) is in the producer's
        collection or one below it."""
        collection_id = getattr(instance, "collection_id", None)
        if self.collection_path is None or collection_id is None:
            return False
        return Collection.objects.filter(
            pk=collection_id, path__startswith=self.collection_path
        ).exists()


_current: ContextVar[ActingFor | None] = ContextVar("guidance_acting_for", default=None)


def start_acting(request: HttpRequest, producer: ProducerPage) -> None:
    request.session[SESSION_KEY] = producer.pk


def stop_acting(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def acting_producer(request: HttpRequest) -> ProducerPage | None:
    """The producer the office user acts for, or None (always None for a producer)."""
    producer_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if producer_id is None or not is_office_user(request.user):
        return None
    producer = ProducerPage.objects.filter(pk=producer_id).first()
    if producer is None:  # deleted meanwhile
        stop_acting(request)
    return producer


def acting_for(producer: ProducerPage) -> ActingFor:
    translations = Page.objects.filter(translation_key=producer.translation_key)
    return ActingFor(
        producer_id=producer.pk,
        name=str(producer),
        paths=tuple(translations.values_list("path", flat=True)),
        collection_path=producer.collection.path if producer.collection_id else None,
    )


def current() -> ActingFor | None:
    return _current.get()


class ActingForMiddleware:
    """While an office user acts for a producer, makes it known to the log entries the
    request writes. Looks at admin requests of signed-in users only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        producer = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_KEY in request.session:
            producer = acting_producer(request)
        token = _current.set(acting_for(producer) if producer is not None else None)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def mark_producer(entry: PageLogEntry | ModelLogEntry, acting: ActingFor) -> None:
    entry.data = {
        **(entry.data or {}),
        DATA_KEY: {"id": acting.producer_id, "name": acting.name},
    }


def mark_on_behalf(sender, instance: PageLogEntry, **kwargs) -> None:
    """Records the producer in a new log entry about one of its pages."""
    acting = current()
    if acting is None or instance.pk is not None or not acting.covers(instance.page_id):
        return
    mark_producer(instance, acting)


def logged_object(entry: ModelLogEntry) -> object | None:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is None:
        return None
    return model._default_manager.filter(pk=entry.object_id).first()


def mark_media_on_behalf(sender, instance: ModelLogEntry, **kwargs) -> None:
    """Records the producer in a new log entry about an image or document of its
    collection (an upload, an edit, a deletion: the object may be gone, then the entry
    is left as it is)."""
    acting = current()
    if acting is None or instance.pk is not None or acting.collection_path is None:
        return
    logged = logged_object(instance)
    if logged is not None and acting.covers_media(logged):
        mark_producer(instance, acting)


def connect_signals() -> None:
    pre_save.connect(mark_on_behalf, sender=PageLogEntry, dispatch_uid="guidance_on_behalf")
    pre_save.connect(
        mark_media_on_behalf, sender=ModelLogEntry, dispatch_uid="guidance_media_on_behalf"
    )
    mark_history_messages()


def on_behalf_of(log_entry) -> str:
    """The producer's name a log entry was made on behalf of, or ""."""
    data = log_entry.data if isinstance(log_entry.data, dict) else {}
    marked = data.get(DATA_KEY)
    return marked.get("name", "") if isinstance(marked, dict) else ""


def with_on_behalf(message: str, log_entry) -> str:
    producer = on_behalf_of(log_entry)
    if not producer:
        return message
    return gettext("%(action)s, on behalf of %(producer)s") % {
        "action": message,
        "producer": producer,
    }


def mark_history_messages() -> None:
    """Log entries' messages say when they were made on behalf of a producer.

    The page history and the site history show `message`; Wagtail formats most actions
    through the log action registry, but a page's "Draft saved" bypasses it, and there
    is no hook: the property of each log entry model is wrapped, once.
    """
    for model in (PageLogEntry, ModelLogEntry):
        original = model.message
        if getattr(original.func, "marks_on_behalf", False):
            continue
        model.message = on_behalf_message(original, model)


def on_behalf_message(original: cached_property, model: type) -> cached_property:
    def message(self) -> str:
        return with_on_behalf(original.func(self), self)

    message.marks_on_behalf = True
    wrapped = cached_property(message)
    wrapped.__set_name__(model, "message")
    return wrapped
