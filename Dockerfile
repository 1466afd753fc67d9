# One image for web, worker and beat; the command picks the role (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --system --home /app --uid 10001 tracker \
    && mkdir -p /data /app/staticfiles && chown tracker /data /app/staticfiles

COPY pyproject.toml README.md ./
COPY tracker ./tracker
COPY timeline ./timeline
COPY api ./api
COPY manage.py ./
RUN python -m pip install --upgrade pip && python -m pip install .

# Static files are collected at build time so whitenoise can serve hashed, compressed names.
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-never-serves-requests-0123456789 python manage.py collectstatic --no-input

USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
