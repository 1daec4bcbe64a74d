# minimal W3C WebDriver client (stand-in experiment)
import json, sys, time, urllib.request, base64
BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9515"
def call(method, path, body=None):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=600) as r: return json.load(r)["value"]
    except urllib.error.HTTPError as e: raise SystemExit("webdriver %s %s: %s" % (method, path, e.read()[:2000]))
