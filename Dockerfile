# Production image: gunicorn serves the site (whitenoise serves static files); the same image
# runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The pinned runtime requirements from pyproject.toml, in their own layer so that a code
# change does not reinstall them. (The project itself is not a package: packages = [].)
COPY pyproject.toml ./
RUN python -c 'import tomllib; \
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Hashed, compressed static files for whitenoise. The key only satisfies settings during the
# build (DEBUG off requires one); the real key comes from the environment at run time.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-time-collectstatic-only \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app --no-create-home milestones \
    && mkdir -p /app/var \
    && chown -R milestones /app/var
USER milestones

EXPOSE 8000
CMD ["gunicorn", "milestones_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
