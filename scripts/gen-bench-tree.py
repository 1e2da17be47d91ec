#!/usr/bin/env python3
"""Generates a large Django-style project for the scanner benchmark.

    scripts/gen-bench-tree.py DIR [--apps 500] [--ignored 40000]
    scripts/gen-bench-tree.py DIR --findings [--apps 2000] [--repeat 3]

Default: about 10,000 non-ignored Python files (20 modules in each of 500 apps,
realistic code: models, views, serializers, services, settings reads, a few
insecure patterns) plus about 40,000 files that every scanner must skip: a
virtualenv, node_modules, build output and a git-ignored `generated/` tree.

`--findings`: the findings-heavy tree. 2,000 apps of five modules (10,000
files) where every app repeats the same mistakes `--repeat` times in each
module: `@csrf_exempt` views, money in float columns, hard-coded service URLs.
`--repeat 3` gives about 18,000 findings; `--repeat 200` about 1.2 million.

The output is deterministic (seeded), so runs compare.
"""

import argparse
import os
import random
from pathlib import Path

MODULE_KINDS = [
    "models", "views", "serializers", "services", "urls", "admin", "forms", "tasks", "utils",
    "signals", "permissions", "filters", "selectors", "validators", "api", "schemas", "clients",
    "constants", "managers", "apps",
]

MODEL = '''from decimal import Decimal

from django.conf import settings
from django.db import models


class {name}(models.Model):
    """A {kind} record of app {app}."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    {money} = models.{money_field}(max_digits=12, decimal_places=2)
    rating = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{{self.title}} ({{self.{money}}})"

    def total_with_tax(self, rate=Decimal("0.19")):
        return (self.{money} * (1 + rate)).quantize(Decimal("0.01"))
'''

VIEW = '''import json
import logging

from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST
{csrf_import}
from .models import {name}

logger = logging.getLogger(__name__)


@require_GET
def list_{lower}(request):
    items = {name}.objects.filter(owner=request.user).values("id", "title")
    return JsonResponse({{"results": list(items)}})

{csrf}@require_POST
def create_{lower}(request):
    body = json.loads(request.body or b"{{}}")
    title = body.get("title", "").strip()
    if not title:
        return JsonResponse({{"error": "title is required"}}, status=400)
    {debug_print}item = {name}.objects.create(owner=request.user, title=title)
    logger.info("created %s %s", "{lower}", item.pk)
    return JsonResponse({{"id": item.pk}}, status=201)
'''

SERVICE = '''import os

import requests

TIMEOUT = int(os.environ.get("{prefix}_TIMEOUT", "10"))
BASE_URL = os.getenv("{prefix}_URL", "{url}")


class {name}Client:
    """Talks to the {lower} service."""

    def __init__(self, session=None):
        self.session = session or requests.Session()

    def fetch(self, item_id):
        response = self.session.get(f"{{BASE_URL}}/items/{{item_id}}", timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()

    def push(self, payload):
        response = self.session.post(f"{{BASE_URL}}/items", json=payload, timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()
'''

GENERIC = '''"""{kind} helpers for app {app}."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

DEFAULT_WINDOW = timedelta(days={days})


def group_by_day(rows):
    groups = defaultdict(list)
    for row in rows:
        groups[row["created_at"].date()].append(row)
    return dict(groups)


def recent(rows, window=DEFAULT_WINDOW):
    cutoff = timezone.now() - window
    return [row for row in rows if row["created_at"] >= cutoff]


def summarise(rows):
    """Counts and the newest timestamp, for dashboards."""
    if not rows:
        return {{"count": 0, "newest": None}}
    newest = max(row["created_at"] for row in rows)
    return {{"count": len(rows), "newest": newest.isoformat()}}
'''


def app_files(rng, index):
    app = f"app_{index:03d}"
    name = f"Item{index:03d}"
    files = {}
    for kind in MODULE_KINDS:
        if kind == "models":
            money = rng.choice(["amount", "price", "total", "balance", "fee"])
            field = "FloatField" if rng.random() < 0.02 else "DecimalField"
            text = MODEL.format(name=name, kind=kind, app=app, money=money, money_field=field)
        elif kind == "views":
            exempt = rng.random() < 0.02
            text = VIEW.format(
                name=name,
                lower=name.lower(),
                csrf_import="from django.views.decorators.csrf import csrf_exempt\n" if exempt else "",
                csrf="@csrf_exempt\n" if exempt else "",
                debug_print='print("creating", title)\n    ' if rng.random() < 0.02 else "",
            )
        elif kind in ("services", "clients"):
            url = "http://127.0.0.1:9000" if rng.random() < 0.01 else "https://api.example.com"
            text = SERVICE.format(name=name, lower=name.lower(), prefix=app.upper(), url=url)
        else:
            text = GENERIC.format(kind=kind, app=app, days=rng.randint(1, 30))
        files[f"{app}/{kind}.py"] = text
    files[f"{app}/__init__.py"] = ""
    return files


HEAVY_MODEL_HEAD = '''from django.conf import settings
from django.db import models


class {name}(models.Model):
    """Invoices of app {app}: every amount a float, as the original schema had it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
'''

HEAVY_VIEW_HEAD = '''import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import {name}
'''

HEAVY_VIEW = '''

@csrf_exempt
@require_POST
def webhook_{n}(request):
    body = json.loads(request.body or b"{{}}")
    return JsonResponse({{"ok": True, "seen": body.get("id")}})
'''

HEAVY_SERVICE_HEAD = '''"""Clients of the services app {app} talks to."""

import requests
'''

HEAVY_SERVICE = '''

def fetch_{n}(item_id):
    response = requests.get("http://127.0.0.1:{port}/items/%s" % item_id, timeout=5)
    return response.json()
'''

MONEY = ["amount", "price", "total", "balance", "fee", "cost", "tax", "discount", "refund", "payout"]


def heavy_app_files(index, repeat):
    """One app of the findings-heavy tree: `repeat` findings of each kind."""
    app = f"app_{index:04d}"
    name = f"Invoice{index:04d}"
    model = HEAVY_MODEL_HEAD.format(name=name, app=app)
    for n in range(repeat):
        column = f"{MONEY[n % len(MONEY)]}_{n}"
        model += f"    {column} = models.FloatField(default=0)\n"
    views = HEAVY_VIEW_HEAD.format(name=name)
    views += "".join(HEAVY_VIEW.format(n=n) for n in range(repeat))
    services = HEAVY_SERVICE_HEAD.format(app=app)
    services += "".join(HEAVY_SERVICE.format(n=n, port=9000 + n % 100) for n in range(repeat))
    return {
        f"{app}/__init__.py": "",
        f"{app}/models.py": model,
        f"{app}/views.py": views,
        f"{app}/services.py": services,
        f"{app}/utils.py": GENERIC.format(kind="utils", app=app, days=index % 30 + 1),
    }


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--apps", type=int, default=None)
    parser.add_argument("--ignored", type=int, default=None)
    parser.add_argument("--findings", action="store_true", help="the findings-heavy tree")
    parser.add_argument("--repeat", type=int, default=3, help="findings of each kind per app")
    args = parser.parse_args()
    if args.apps is None:
        args.apps = 2000 if args.findings else 500
    if args.ignored is None:
        args.ignored = 0 if args.findings else 40000
    root = Path(args.dir)
    rng = random.Random(7)
    count = 0
    for index in range(args.apps):
        files = heavy_app_files(index, args.repeat) if args.findings else app_files(rng, index)
        for rel, text in files.items():
            write(root, rel, text)
            count += 1
    app_name = "app_{:04d}" if args.findings else "app_{:03d}"
    write(root, "manage.py", "import os\nimport sys\n\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n")
    write(root, "config/__init__.py", "")
    write(root, "config/wsgi.py", "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\napplication = get_wsgi_application()\n")
    apps = ",\n    ".join(f'"{app_name.format(i)}"' for i in range(args.apps))
    write(root, "config/settings.py", f'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"\nALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")\nROOT_URLCONF = "config.urls"\nINSTALLED_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n    "django.contrib.sessions",\n    {apps},\n]\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]\n')
    write(root, "config/urls.py", "from django.urls import path\n\nurlpatterns = [\n    path('api/v1/health', lambda r: None),\n]\n")
    write(root, "requirements.txt", "Django==5.0.6\ngunicorn==22.0.0\nrequests==2.32.3\n")
    write(root, ".gitignore", ".venv/\nnode_modules/\nbuild/\ngenerated/\n__pycache__/\n")
    count += 6
    # Ignored: every scanner has to skip these.
    ignored_roots = [
        ".venv/lib/python3.12/site-packages/pkg_{i}/module_{j}.py",
        "node_modules/pkg-{i}/lib/file_{j}.js",
        "build/lib/pkg_{i}/module_{j}.py",
        "generated/pkg_{i}/module_{j}.py",
    ]
    body = GENERIC.format(kind="vendored", app="vendor", days=3)
    for n in range(args.ignored):
        pattern = ignored_roots[n % len(ignored_roots)]
        write(root, pattern.format(i=n // 400, j=n % 400), body)
    print(f"{count} project files and {args.ignored} ignored files in {root}")


if __name__ == "__main__":
    main()
