"""Portal fuzz: hundreds of malformed requests over raw sockets (garbage paths, wrong
methods, bad content types, invalid UTF-8, huge headers and bodies, broken multipart,
bad tokens and cookies), signed out and signed in. None may answer 5xx, and the
portal must serve a normal parent and coordinator afterwards."""
import random
import socket
from collections import Counter
from urllib.parse import quote, urlsplit

from bot.portal import links
from tests.portal.conftest import API_TOKEN, dicom_bytes, sign_in
from tests.portal.helpers import fake_pdf

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"]
FORM_TYPES = ["text/plain", "application/json", "multipart/form-data",
              "multipart/form-data; boundary=", "multipart/form-data; boundary=\"x\"",
              "multipart/form-data; boundary=x; charset=no-such-charset",
              "application/x-www-form-urlencoded; charset=utf-7", "image/png",
              "application/x-www-form-urlencoded", "multipart/mixed; boundary=x", ""]


def raw(base: str, method: str, path: str, headers: dict, body: bytes = b"") -> int:
    """One request over a raw socket; the status, or 0 when the server just closed."""
    parts = urlsplit(base)
    head = [f"{method} ".encode() + (path.encode("latin-1") if isinstance(path, str)
                                      else path) + b" HTTP/1.1",
            f"Host: {parts.netloc}".encode(), b"Connection: close"]
    if body or method in ("POST", "PUT", "PATCH"):
        head.append(f"Content-Length: {len(body)}".encode())
    for name, value in headers.items():
        head.append(name.encode() + b": " + (value if isinstance(value, bytes)
                                            else value.encode("latin-1")))
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        try:
            sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    fields = answer.split(b" ", 2)
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0


def multipart(rng: random.Random, csrf: str) -> tuple[str, bytes]:
    """A broken (or odd) multipart body, and its Content-Type."""
    b = "b" + str(rng.randrange(10 ** 6))
    good = (f"--{b}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n"
            f"--{b}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + fake_pdf(600) + \
        f"\r\n--{b}--\r\n".encode()
    variants = [
        good[:rng.randrange(1, len(good))],  # cut off anywhere
        good.replace(b"\r\n", b"\n"),  # bare newlines
        good.replace(b"Content-Disposition", b"Content-Dispositio\xff"),
        good.replace(b'name="files"', b'name="files"; filename*=UTF-8\'\'%ff%fe.pdf'),
        good.replace(b"filename=\"a.pdf\"", b"filename=\"" + b"\xc3\x28" * 300 + b"\""),
        good.replace(b"\r\n\r\n", b"\r\nX: " + b"h" * 20_000 + b"\r\n\r\n", 1),
        good.replace(f"--{b}--".encode(), b""),  # no closing boundary
        (f"--{b}\r\n\r\n\r\n--{b}--\r\n").encode(),  # a part without headers
        good + bytes(rng.randrange(256) for _ in range(2000)),
        (f"--{b}\r\n" * 500).encode(),
        good.replace(b"%PDF", dicom_bytes()[:132] + b"junk"),
        bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000))),
    ]
    return f"multipart/form-data; boundary={b}", rng.choice(variants)


def garbage_text(rng: random.Random, n: int) -> str:
    alphabet = "aZ09/%._-~?#&=;:+@!$'()*,[]{}<>|\\^`\" \t\u00e9\u4e2d\U0001f600\ud800\x00"
    return "".join(rng.choice(alphabet) for _ in range(n))


def signed_token(portal, payload) -> str:
    return links.serializer(portal.settings).dumps(payload)


def test_fuzz_the_portal(portal, case):
    rng = random.Random(7)
    browser, link, csrf = sign_in(portal, case["id"])
    cookie = browser._cookie_header(link)
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    routes = ["/", "/healthz", "/openapi.json", "/static/portal.css", link, link + "/birth-date",
              link + "/questionnaire", link + "/consent", link + "/upload/imaging",
              "/api/cases", f"/api/cases/{case['id']}", f"/api/cases/{case['id']}/fhir",
              "/api/outbox"]
    tokens = [signed_token(portal, p) for p in (
        {"case": 2 ** 70, "v": 1}, {"case": -1, "v": 1}, {"case": 0, "v": 0}, {"case": 1.5},
        {"case": "1", "v": "1"}, [1, 2], "x", None, {"case": case["id"], "v": 2 ** 70})]
    tokens += [link[3:-3] + "abc", link[3:] + ".x", "a" * 5000, "..", "%00", "%ff%fe%fd"]
    requests = []

    # Garbage paths (and invalid UTF-8, percent-encoded or raw).
    for _ in range(60):
        text = garbage_text(rng, rng.randrange(1, 200))
        path = "/" + quote(text.encode("utf-8", "surrogatepass"), safe="/%?=&")
        requests.append(("GET", path, {}, b""))
    for prefix in ("/u/", "/api/cases/", "/static/", "/u/x/upload/"):
        for tail in ("%ff%fe", "%c3%28", "%00", "..%2f..%2fetc%2fpasswd", "a" * 6000,
                     "9" * 40, "-1", "0x10", "1e9", "%e2%82"):
            requests.append(("GET", prefix + tail, auth, b""))
    requests.append(("GET", b"/u/\xff\xfe/birth-date", {}, b""))
    requests.append(("GET", b"/api/cases/\xc3\x28", auth, b""))
    # Bad tokens on every parent route.
    for token in tokens:
        for tail in ("", "/birth-date", "/questionnaire", "/consent", "/upload/imaging"):
            method = "GET" if not tail else "POST"
            requests.append((method, "/u/" + token + tail,
                             {"Content-Type": "application/x-www-form-urlencoded"}, b"a=b"))
    # Wrong methods everywhere.
    for route in routes:
        for method in METHODS:
            requests.append((method, route, {**auth, "Cookie": cookie}, b""))
    # Bad content types and bodies on the signed-in forms.
    for route in ("/birth-date", "/questionnaire", "/consent", "/upload/referral"):
        for content_type in FORM_TYPES:
            body = rng.choice([b"csrf_token=" + csrf.encode() + b"&birth_date=%ff%fe",
                               b"\xff\xfe\x00garbage", b"{\"a\": 1}", b"a" * 3000,
                               b"csrf_token=" + csrf.encode() + b"&" + b"&".join(
                                   b"k%d=%d" % (i, i) for i in range(2000))])
            requests.append(("POST", link + route, {"Content-Type": content_type,
                                                    "Cookie": cookie}, body))
    # Broken multipart, signed in with the right CSRF token.
    for _ in range(40):
        content_type, body = multipart(rng, csrf)
        route = rng.choice(["/upload/imaging", "/upload/referral", "/consent", "/birth-date",
                            "/questionnaire"])
        requests.append(("POST", link + route, {"Content-Type": content_type,
                                                "Cookie": cookie}, body))
    # Questionnaire and consent with random fields and values (valid CSRF token).
    for _ in range(30):
        fields = [("csrf_token", csrf)] + [
            (rng.choice(["child_first_name", "child_birth_date", "brace_hours", "child_sex",
                         "signer_name", "agree", garbage_text(rng, 8)]),
             garbage_text(rng, rng.randrange(0, 300))) for _ in range(rng.randrange(1, 12))]
        body = "&".join(quote(k.encode("utf-8", "surrogatepass")) + "="
                        + quote(v.encode("utf-8", "surrogatepass")) for k, v in fields)
        requests.append(("POST", link + rng.choice(["/questionnaire", "/consent"]),
                         {"Content-Type": "application/x-www-form-urlencoded",
                          "Cookie": cookie}, body.encode()))
    # Headers: huge, invalid bytes, broken cookies and auth; bodies too big for a form.
    for value in (b"a" * 70_000, b"\xff\xfe\xfd", b"\x00", b"x" * 9000):
        requests.append(("GET", link, {"X-Big": value}, b""))
        requests.append(("GET", "/api/cases", {"Authorization": b"Bearer " + value}, b""))
        requests.append(("GET", link, {"Cookie": b"portal_session=" + value}, b""))
    for cookie_value in ("portal_session=", "portal_session=a.b.c", "=; ;=;", "a" * 4000):
        requests.append(("GET", link, {"Cookie": cookie_value}, b""))
    for size in (300_000, 2_000_000):
        requests.append(("POST", link + "/questionnaire", {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            b"a=" + b"x" * size))
    for query in ("status=%ff", "status=" + "x" * 5000, "limit=abc", "limit=0",
                  "limit=99999999999999999999", "case_id=abc", "case_id=-5",
                  "case_id=99999999999999999999"):
        path = "/api/outbox?" if "status" not in query else "/api/cases?"
        requests.append(("GET", path + query, auth, b""))
    for n in ("abc", "99999999999999999999999", "-1", "%ff"):
        requests.append(("GET", link + "?saved=imaging&n=" + n, {"Cookie": cookie}, b""))
    # A duplicated, contradicting Content-Length and a lying one.
    requests.append(("POST", link + "/consent", {"Content-Length": "5", "Cookie": cookie}, b"a"))
    requests.append(("POST", link + "/birth-date", {"Content-Length": "-1"}, b""))

    statuses = Counter()
    failures = []
    for method, path, headers, body in requests:
        status = raw(portal.base, method, path, headers, body)
        statuses[status // 100 if status else 0] += 1
        if status >= 500:
            failures.append((status, method, path[:80], dict((k, v[:40]) for k, v in
                                                             headers.items()), body[:80]))
    print(f"\nportal fuzz: {len(requests)} sent, {statuses[2] + statuses[3]} 2xx/3xx, "
          f"{statuses[4]} 4xx, {statuses[5]} 5xx, {statuses[0]} closed without an answer")
    assert len(requests) >= 300
    assert not failures, failures[:5]
    # Still serving: the parent's page, an upload and the coordinator API.
    assert browser.get(link).status == 200
    ok = browser.post_files(link + "/upload/referral", [("csrf_token", csrf)],
                            [("files", "ok.pdf", fake_pdf())])
    assert ok.status == 303, ok.text
    assert portal.api(f"/api/cases/{case['id']}").status == 200
