"""Review before submitting; while the application is written, the same screen waits, inert."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk import idnumber
from kiosk.catalog import FieldType
from kiosk.session import State
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, page, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    service, identity = session.service, session.identity
    assert service is not None and identity is not None
    pair = lambda name, value: label(tr.t("common.pair", label=name, value=value))  # noqa: E731
    rows = [pair(tr.t("receipt.service"), tr.local(service.name)),
            pair(tr.t("form.applicant"), identity.masked_name()),
            pair(tr.t("form.id_number"), idnumber.mask(identity.id_number))]
    for field in service.fields:
        value = session.form.get(field.key, "")
        if field.type is FieldType.ID_NUMBER:
            value = idnumber.mask(value)
        elif field.type is FieldType.CHOICE:
            value = next((tr.local(c) for c in field.choices if c.zh == value), value)
        rows.append(pair(tr.local(field.label), value))
    submitting = session.state is State.SUBMITTING
    confirm = button(tr.t("review.submitting" if submitting else "review.confirm"), controller.confirm, name="Primary")
    edit = button(tr.t("review.edit"), controller.back, name="back")
    confirm.setEnabled(not submitting)
    edit.setEnabled(not submitting)
    return page(tr.t("review.title"), [scrolling(card(*rows))], footer=[edit, confirm], problem=ctx.problem())
