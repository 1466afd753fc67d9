"""The ingestion pipeline: plain functions from a URL, a feed or pasted text to a clean article.

Nothing here knows about Celery: ``timeline.tasks`` calls ``pipeline.ingestion_process`` with an
id, and every step can be called and tested on its own.
"""
