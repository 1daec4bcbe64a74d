import json, os, sys, time, base64
sys.path.insert(0, os.path.dirname(__file__))
from wd import call
out = os.environ["OUT"]
args = os.environ.get("CHROME_ARGS", "").split()
t0 = time.time()
def mark(what): print("STEP %s %.1f s" % (what, time.time() - t0), flush=True)
caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/lib/chromium/chromium", "args": args}}}}
s = call("POST", "/session", caps)["sessionId"]
mark("session")
def shot(name):
    png = call("GET", "/session/%s/screenshot" % s)
    open(os.path.join(out, name + ".png"), "wb").write(base64.b64decode(png))
def text():
    return call("POST", "/session/%s/execute/sync" % s, {"script": "return document.getElementById('out').textContent", "args": []})
call("POST", "/session/%s/url" % s, {"url": os.environ.get("PAGE", "http://localhost:8000/")})
mark("navigate"); shot("0-page")
for fn in ["reg", "sig"]:
    t1 = time.time()
    call("POST", "/session/%s/execute/sync" % s, {"script": fn + "()", "args": []})
    while True:
        v = text()
        if v != "working" or time.time() - t1 > float(os.environ.get("STEP_TIMEOUT", "150")): break
        time.sleep(0.5)
    print(fn, "->", v, flush=True); mark(fn); shot("1-" + fn)
call("DELETE", "/session/%s" % s)
