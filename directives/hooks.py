"""The hooks by which documents cause something in an app above them (docs/architecture.md, "Layers").

``directives`` sits below ``tasks`` and imports nothing from it. When the director routes an
incoming document, the direction note must become the lead unit's task: ``incoming_route`` sends
``incoming_routed`` and the tasks app, which connects its receiver in ``TasksConfig.ready()``,
creates the task. The signal is sent inside the routing's transaction and its receivers are called
with ``send`` (not ``send_robust``): a receiver's refusal rolls the routing back.
"""

from django.dispatch import Signal

#: Sent with ``sender=Routing`` and the keyword arguments ``routing``, ``by`` (the director) and
#: ``cooperating_units`` (the units other than the lead unit, as routed), and ``note_task``: False
#: when the caller creates the document's tasks itself (the proposed tasks of a read document,
#: intake), so the direction note makes no task of its own.
incoming_routed = Signal()

#: Sent with ``sender=IssuedPdf`` and ``document_id`` once a document's official PDF is rendered
#: and stored (``official_pdf.issued_pdf_render``), outside any transaction: what waits for the
#: PDF (the exchange's packages) may go now. Receivers must not raise.
issued_pdf_ready = Signal()
