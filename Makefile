# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format worker beat serve install clean lock

# Reinstall only when a requirements file changed, so a second `make run` is quick.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo
	@echo "  Cascade is running at http://$(HOST):$(PORT)/"
	@echo "  Log in with the demo account:  user 'demo'  password 'demo'"
	@echo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# A Celery worker with the periodic scheduler; needs REDIS_URL.
worker: $(STAMP)
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0" && exit 1)
	$(PY) -m celery -A config worker --beat --loglevel=info

# The periodic scheduler alone, for deployments with workers on several machines: run
# exactly one beat (each would send every periodic job), and the workers without --beat.
beat: $(STAMP)
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0" && exit 1)
	$(PY) -m celery -A config beat --loglevel=info --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/cascade-celerybeat-schedule}

# Production settings under gunicorn, static files served by whitenoise. Needs SECRET_KEY;
# without a TLS proxy in front, set SECURE_SSL_REDIRECT=0 to browse http://$(HOST):$(PORT)/.
serve: $(STAMP)
	@test -n "$(SECRET_KEY)" || (echo "Set SECRET_KEY (and DATABASE_URL, ALLOWED_HOSTS...): see Deployment in README.md" && exit 1)
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.production GUNICORN_BIND=$(HOST):$(PORT) \
		$(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# Regenerate the complete locks from requirements*.in (see "Adding a dependency" in the
# README). pip-compile keeps a pin that still satisfies the .in files, so only what you
# added or changed moves; `make install` then installs exactly the lock.
LOCK := $(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	@test -x $(VENV)/bin/pip-compile || $(PY) -m pip install --quiet pip-tools==7.6.2
	$(LOCK) --output-file requirements.txt requirements.in
	$(LOCK) --output-file requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
