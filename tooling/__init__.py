"""Composition tools: the demo, the screenshots, the accessibility audit, the visit simulator and their samples.

Each composes the layers below it (kiosk, devices, sync, ui) with simulators and fictional data, so
it lives above all of them: no layer imports tooling, and tooling is the one place that may join a
card reader's simulator to the sync outbox or a case store to the kiosk window.
"""
