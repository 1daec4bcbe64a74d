#!/usr/bin/python3
"""The largeBlobKey extension and authenticatorLargeBlobs, with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain, generic profile), then:

    /usr/bin/python3 test_softkey_large_blobs_udp.py --device-port 8111 --host-port 7112

After authenticatorReset and setPIN: getInfo reports largeBlobs, the
largeBlobKey extension and maxSerializedLargeBlobArray; the array is the
initial one; discoverable credentials made with python-fido2's
LargeBlobKeyExtension get a 32-byte largeBlobKey in makeCredential member
0x05 (and again from getAssertion member 0x07); fido2.ctap2.blob.LargeBlobs
with an lbw token puts, gets and deletes their blobs; writes without a token
or without lbw are refused; python-fido2 0.9.1's multi-fragment write (which
sends length = the fragment's length with every fragment) is refused as CTAP
2.1 says; authenticatorReset brings the initial array back. Each check prints
PASS or FAIL; the last line is "N passed, N failed"; the exit code is 0 when
all passed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import ClientPin, Ctap2  # noqa: E402
from fido2.ctap2.blob import LargeBlobs  # noqa: E402
from fido2.ctap2.extensions import LargeBlobKeyExtension  # noqa: E402
from fido2.utils import sha256  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "example.com", "name": "Example"}
PERM = ClientPin.PERMISSION
INITIAL = b"\x80" + sha256(b"\x80")[:16]

# CTAP status codes (python-fido2 0.9.1 names some of them).
PUAT_REQUIRED = 0x36  # CTAP2_ERR_PUAT_REQUIRED, which python-fido2 0.9.1 does not name
PIN_AUTH_INVALID = CtapError.ERR.PIN_AUTH_INVALID
INTEGRITY_FAILURE = 0x3D  # CTAP2_ERR_INTEGRITY_FAILURE
INVALID_OPTION = CtapError.ERR.INVALID_OPTION


class LargeBlobsUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.client_pin = None
        self.pin = args.pin
        self.keys = {}

    def connect(self):
        super().connect()
        self.ctap2 = Ctap2(self.dev)
        self.client_pin = ClientPin(self.ctap2)

    def info(self):
        return self.ctap2.get_info()

    def init(self):
        self.open()

    def reset(self):
        # A power cycle first, so the reset lands inside the 10 s window after power-up.
        self.connection.send_reboot()
        self.connect()
        self.ctap2.reset()

    def get_info(self):
        info = self.info()
        assert info.options.get("largeBlobs") is True, "option largeBlobs %r" % info.options.get("largeBlobs")
        assert "largeBlobKey" in info.extensions, "extensions %r" % info.extensions
        assert info.max_large_blob == 4096, "maxSerializedLargeBlobArray %r" % info.max_large_blob

    def initial_array(self):
        assert LargeBlobs(self.ctap2).read_blob_array() == []
        assert self.ctap2.large_blobs(0, get=100)[1] == INITIAL

    def set_pin(self):
        self.client_pin.set_pin(self.pin)

    def lbw(self):
        return LargeBlobs(self.ctap2, self.client_pin.protocol, self.client_pin.get_pin_token(self.pin, PERM.LARGE_BLOB_WRITE))

    def make(self, name):
        token = self.client_pin.get_pin_token(self.pin, PERM.MAKE_CREDENTIAL, RP["id"])
        ext = LargeBlobKeyExtension(self.ctap2)
        assert ext.is_supported()
        extensions = {ext.NAME: ext.process_create_input({"largeBlobKey": True})}
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh, RP, {"id": name.encode(), "name": name}, ES256_PARAMS, extensions=extensions,
            options={"rk": True}, **pin_uv_auth(self.client_pin.protocol, token, cdh),
        )
        assert att.large_blob_key is not None and len(att.large_blob_key) == 32, "largeBlobKey %r" % att.large_blob_key
        assert not att.auth_data.extensions, "authData extensions %r" % att.auth_data.extensions
        self.keys[name] = (att.auth_data.credential_data.credential_id, att.large_blob_key)

    def make_alice(self):
        self.make("alice")

    def make_bob(self):
        self.make("bob")
        assert self.keys["alice"][1] != self.keys["bob"][1], "two credentials, one key"

    def large_blob_key_needs_rk(self):
        token = self.client_pin.get_pin_token(self.pin, PERM.MAKE_CREDENTIAL, RP["id"])
        cdh = os.urandom(32)
        expect_ctap_error(INVALID_OPTION, lambda: self.ctap2.make_credential(
            cdh, RP, {"id": b"nk", "name": "nk"}, ES256_PARAMS, extensions={"largeBlobKey": True},
            **pin_uv_auth(self.client_pin.protocol, token, cdh),
        ))

    def get_assertion_key(self):
        cred_id, key = self.keys["alice"]
        token = self.client_pin.get_pin_token(self.pin, PERM.GET_ASSERTION, RP["id"])
        cdh = os.urandom(32)
        a = self.ctap2.get_assertion(
            RP["id"], cdh, allow_list=[{"type": "public-key", "id": cred_id}], extensions={"largeBlobKey": True},
            **pin_uv_auth(self.client_pin.protocol, token, cdh),
        )
        assert a.large_blob_key == key, "getAssertion largeBlobKey differs from makeCredential's"

    def put_get(self):
        lb = self.lbw()
        lb.put_blob(self.keys["alice"][1], b"alice's ssh certificate")
        lb.put_blob(self.keys["bob"][1], b"bob" * 100)
        assert lb.get_blob(self.keys["alice"][1]) == b"alice's ssh certificate"
        assert lb.get_blob(self.keys["bob"][1]) == b"bob" * 100
        assert len(lb.read_blob_array()) == 2

    def put_replaces(self):
        lb = self.lbw()
        lb.put_blob(self.keys["alice"][1], b"renewed")
        assert lb.get_blob(self.keys["alice"][1]) == b"renewed"
        assert len(lb.read_blob_array()) == 2

    def delete(self):
        lb = self.lbw()
        lb.delete_blob(self.keys["alice"][1])
        assert lb.get_blob(self.keys["alice"][1]) is None
        assert lb.get_blob(self.keys["bob"][1]) == b"bob" * 100
        assert len(lb.read_blob_array()) == 1

    def write_needs_token(self):
        expect_ctap_error(PUAT_REQUIRED, lambda: LargeBlobs(self.ctap2).write_blob_array([]))
        mc = self.client_pin.get_pin_token(self.pin, PERM.MAKE_CREDENTIAL, RP["id"])
        expect_ctap_error(PIN_AUTH_INVALID, lambda: LargeBlobs(self.ctap2, self.client_pin.protocol, mc).write_blob_array([]))
        assert len(LargeBlobs(self.ctap2).read_blob_array()) == 1, "a refused write changed the array"

    def multi_fragment_quirk(self):
        # python-fido2 0.9.1 sends length = this fragment's length with every fragment. The first
        # fragment then announces 1984 bytes (maxMsgSize 2048 - 64), which arrive at once and fail
        # the hash check: CTAP2_ERR_INTEGRITY_FAILURE, the stored array unchanged.
        lb = self.lbw()
        expect_ctap_error(INTEGRITY_FAILURE, lambda: lb.write_blob_array([os.urandom(3000)]))
        assert lb.get_blob(self.keys["bob"][1]) == b"bob" * 100

    def reset_empties(self):
        self.reset()
        assert self.ctap2.large_blobs(0, get=100)[1] == INITIAL
        assert LargeBlobs(self.ctap2).read_blob_array() == []


def main(argv=None):
    p = argument_parser(__doc__, pin=True)
    args = p.parse_args(argv)

    t = LargeBlobsUdpTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("authenticatorReset", t.reset, ["init"]),
            ("getInfo largeBlobs, largeBlobKey, maxSerializedLargeBlobArray", t.get_info, ["authenticatorReset"]),
            ("the initial array", t.initial_array, ["authenticatorReset"]),
            ("setPIN", t.set_pin, ["authenticatorReset"]),
            ("makeCredential largeBlobKey (alice)", t.make_alice, ["setPIN"]),
            ("makeCredential largeBlobKey (bob)", t.make_bob, ["makeCredential largeBlobKey (alice)"]),
            ("largeBlobKey without rk: CTAP2_ERR_INVALID_OPTION", t.large_blob_key_needs_rk, ["setPIN"]),
            ("getAssertion largeBlobKey", t.get_assertion_key, ["makeCredential largeBlobKey (alice)"]),
            ("LargeBlobs put_blob and get_blob", t.put_get, ["makeCredential largeBlobKey (bob)"]),
            ("put_blob replaces", t.put_replaces, ["LargeBlobs put_blob and get_blob"]),
            ("delete_blob", t.delete, ["put_blob replaces"]),
            ("writes need an lbw token", t.write_needs_token, ["delete_blob"]),
            ("python-fido2 0.9.1 multi-fragment write: CTAP2_ERR_INTEGRITY_FAILURE", t.multi_fragment_quirk, ["delete_blob"]),
            ("authenticatorReset empties the array", t.reset_empties, ["init"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
