#!/usr/bin/python3
"""A fault set through softkey's control API, seen by python-fido2 0.9.1 over UDP.

The test class dev.softkey.cli.PythonFido2ControlUdpTest starts `softkey serve
--control` and adds the fault "makeCredential answers STATUS once" over HTTP,
then runs:

    /usr/bin/python3 fault_once_udp.py --device-port P --host-port R --status 0x27

The first makeCredential must fail with that CTAP status, the next one must
succeed (the rule was used up), as must a getAssertion with the new
credential. Prints PASS or FAIL per check; exit code 0 when all passed.
Uses transport-usb's udp_device.py (the SoloKeys simulator convention).
"""

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "transport-usb", "src", "test", "python"))

from fido2.cose import ES256  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import Ctap2  # noqa: E402

from udp_device import open_device  # noqa: E402

RP = {"id": "example.com", "name": "Example"}
USER = {"id": b"user-1", "name": "alice"}
PARAMS = [{"type": "public-key", "alg": ES256.ALGORITHM}]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device-port", type=int, required=True)
    p.add_argument("--host-port", type=int, required=True)
    p.add_argument("--status", required=True, help="the CTAP status the fault answers, e.g. 0x27")
    a = p.parse_args()
    status = int(a.status, 0)
    dev = open_device(device_port=a.device_port, host_port=a.host_port)
    ctap2 = Ctap2(dev)
    failed = 0
    try:
        ctap2.make_credential(os.urandom(32), RP, USER, PARAMS)
        print("FAIL first makeCredential succeeded, the fault did not fire")
        failed += 1
    except CtapError as e:
        if e.code == status:
            print("PASS first makeCredential: 0x%02x" % int(e.code))
        else:
            print("FAIL first makeCredential: 0x%02x, expected 0x%02x" % (int(e.code), status))
            failed += 1
    try:
        att = ctap2.make_credential(os.urandom(32), RP, USER, PARAMS)
        cred = att.auth_data.credential_data
        print("PASS second makeCredential: a credential of %d bytes" % len(cred.credential_id))
        assertion = ctap2.get_assertion(RP["id"], os.urandom(32), [{"type": "public-key", "id": cred.credential_id}])
        print("PASS getAssertion after the fault: counter %d" % assertion.auth_data.counter)
    except CtapError as e:
        print("FAIL after the fault: 0x%02x" % int(e.code))
        failed += 1
    dev.close()
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
