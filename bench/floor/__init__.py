"""The floor: the least a Django app can do to answer the benchmark's requests.

No DRF, no authentication, no store, no middleware, no installed apps. Each
view returns the bytes the project answered for that request (captured once by
``bench.api_bench`` and handed over in the file named by ``BENCH_FLOOR_RESPONSES``),
so the project ÷ floor ratio measures what the project adds on top of Django
and the server, under the same gunicorn settings.
"""
