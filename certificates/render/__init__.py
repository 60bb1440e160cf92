"""Rendering and signing certificate PDFs in a lean process of their own.

The Django side (`certificates.pdf`) prepares everything that needs the ORM, the settings
and the templates: the page's HTML, the folders the renderer may read, the signing key's
files. A render process (`python -m certificates.render.worker`, started and watched by
`certificates.render.client`) imports only WeasyPrint and pyHanko (`engine`) and turns
that into the signed PDF, so the memory that rendering takes is not added to a process
that already holds Django and Wagtail.

Nothing in this package imports Django: keep it so (`tests/certificates/test_render_worker.py`
checks that the render process never loads it).
"""
