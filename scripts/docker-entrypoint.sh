#!/bin/sh
# Entry point of the Docker image (see Dockerfile and docker-compose.yml).
#
# The web server migrates the database before it starts; worker, beat and one-off commands
# (`docker compose run --rm web python manage.py createsuperuser`) run the same image and must
# not migrate at the same time, so they go straight to their command.
set -e

case "$*" in
    *gunicorn*)
        python manage.py migrate --noinput
        ;;
esac

exec "$@"
