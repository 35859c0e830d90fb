# Attract production image: gunicorn serves the app (static files via WhiteNoise);
# the same image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    ATTRACT_VAR_DIR=/app/var

RUN groupadd --system --gid 10001 attract \
 && useradd --system --uid 10001 --gid attract --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin attract

WORKDIR /app

# Dependencies first, in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The whole source tree: templates/, static/ and manage.py are not Python packages.
# Editable install, so settings.BASE_DIR stays /app and finds templates/ and static/.
COPY . .
RUN pip install --no-cache-dir --no-deps -e .

# Static files are collected at build time (WhiteNoise manifest storage, DEBUG off).
# The secret key here is a throwaway for this step only; it is not kept in the image.
RUN mkdir -p /app/var/media \
 && DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && chown attract:attract /app/var /app/var/media

# Code and collected static files stay root-owned (read-only to the app);
# only /app/var (beat schedule) and /app/var/media (uploads, a volume) are writable.
USER attract

EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn attract.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
