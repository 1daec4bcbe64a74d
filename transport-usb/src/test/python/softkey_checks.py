"""What the test_softkey_*_udp.py scripts share: options, the UDP device, checks.

Each script is a list of named checks against a softkey on UDP (see
udp_device.py), run in order by run_checks(): each prints PASS or FAIL, a
check whose prerequisites failed fails too, the last line is
"N passed, N failed" and the exit code is 0 when all passed, 1 otherwise.

Written against python-fido2 0.9.1 (Debian 12 python3-fido2).
"""

import argparse
import sys
import traceback

from fido2.cose import ES256
from fido2.ctap import CtapError
from fido2.hid import CtapHidDevice

import udp_device

ES256_PARAMS = [{"type": "public-key", "alg": ES256.ALGORITHM}]
DEFAULT_PIN = "4711-softkey"


class Check(object):
    """Runs named checks in order; a check whose prerequisites failed fails too."""

    def __init__(self):
        self.passed = []
        self.failed = []

    def run(self, name, fn, needs=()):
        missing = [n for n in needs if n not in self.passed]
        if missing:
            self.failed.append(name)
            print("FAIL %s: not run, needs %s" % (name, ", ".join(missing)))
            return
        try:
            fn()
        except Exception as e:  # noqa: B902 - every failure is reported, none stops the run
            self.failed.append(name)
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
            traceback.print_exc(file=sys.stdout)
        else:
            self.passed.append(name)
            print("PASS %s" % name)
        sys.stdout.flush()


def run_checks(tests, checks):
    """Runs checks, (name, fn) or (name, fn, needs) tuples, then closes tests.

    Prints the "N passed, N failed" line and returns the exit code.
    """
    c = Check()
    try:
        for check in checks:
            c.run(*check)
    finally:
        tests.close()
    print("%d passed, %d failed" % (len(c.passed), len(c.failed)))
    return 0 if c.passed and not c.failed else 1


def expect_ctap_error(code, fn):
    try:
        fn()
    except CtapError as e:
        assert e.code == code, "expected CTAP error 0x%02x, got %s" % (code, e)
        return
    raise AssertionError("expected CTAP error 0x%02x, the call succeeded" % code)


def argument_parser(description, pin=False):
    """The options of every script (where the device is, the report timeout), and --pin if asked."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=udp_device.DEFAULT_HOST)
    p.add_argument("--device-port", type=int, default=udp_device.DEFAULT_DEVICE_PORT)
    p.add_argument("--host-port", type=int, default=udp_device.DEFAULT_HOST_PORT)
    if pin:
        p.add_argument("--pin", default=DEFAULT_PIN, help="the PIN to set (device must have none)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one report")
    return p


def pin_uv_auth(protocol, token, client_data_hash):
    """The pinUvAuthParam and pinUvAuthProtocol keyword arguments of Ctap2 for a token."""
    return {
        "pin_uv_param": protocol.authenticate(token, client_data_hash),
        "pin_uv_protocol": protocol.VERSION,
    }


class UdpDeviceTests(object):
    """The device under test: open() binds the host port and connects, close() lets go."""

    def __init__(self, args):
        self.args = args
        self.connection = None
        self.dev = None

    def open(self):
        self.connection = udp_device.UdpConnection(
            self.args.host, self.args.device_port, self.args.host_port, self.args.timeout
        )
        self.connect()

    def connect(self):
        """A CtapHidDevice on the open connection; its constructor sends CTAPHID_INIT."""
        self.dev = CtapHidDevice(
            udp_device.descriptor(self.args.host, self.args.device_port), self.connection
        )

    def close(self):
        if self.dev is not None:
            self.dev.close()
        elif self.connection is not None:
            self.connection.close()
