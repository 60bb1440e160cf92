"""Certificate PDF render time and peak memory: `python -m bench.pdf N` (JSON on stdout).

Runs in its own process so that its peak resident memory is the PDF's, not the bench's.
The PDF is laid out by this process's render process (`certificates.render`, no Django):
its peak is `render_peak_rss_mb`; `peak_rss_mb` is the Django process that asks for it.
"""

import json
import resource
import statistics
import sys
import time


def main() -> None:
    import django

    django.setup()
    from bench.data import PERSONAS
    from certificates.models import Certificate
    from certificates.pdf import certificate_pdf_render
    from certificates.render.client import render_worker

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    certificate = Certificate.objects.filter(holder__email=PERSONAS["learner"]).first()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        pdf = certificate_pdf_render(
            holder_name=certificate.holder_name,
            course_title=certificate.course_title,
            issued_on=certificate.issued_at.date(),
            code=certificate.code,
            verify_url=certificate.verify_url,
            farm_name=certificate.farm_name,
            language=certificate.language,
        )
        times.append(time.perf_counter() - started)
    assert pdf.startswith(b"%PDF"), "the certificate did not render as a PDF"
    warm = sorted(times[1:])  # the first one starts the render process, fonts, templates
    render = render_worker().stats()
    print(
        json.dumps(
            {
                "runs": runs,
                "first_ms": round(times[0] * 1000, 1),
                "p50_ms": round(statistics.median(warm) * 1000, 1),
                "p95_ms": round(warm[min(len(warm) - 1, int(0.95 * len(warm)))] * 1000, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "rss_before_mb": round(before / 1024, 1),
                "render_peak_rss_mb": round(render["peak_rss_mib"], 1),
                "bytes": len(pdf),
            }
        )
    )


if __name__ == "__main__":
    main()
