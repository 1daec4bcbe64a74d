#!/usr/bin/python3
"""credProtect, credBlob, minPinLength and thirdPartyPayment of a running softkey on UDP,
with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain), then:

    /usr/bin/python3 test_softkey_extensions_udp.py --device-port 8111 --host-port 7112

The device must be fresh (no PIN, no credentials). The script sets a PIN and
runs the checks of the extensions getInfo lists (CTAP 2.1 section 12): a
credProtect level 3 credential is invisible to getAssertion without UV and
visible with UV (a PIN token), a level 2 discoverable one is hidden without
an allowList and without UV; credBlob round trips (python-fido2's
CredBlobExtension builds the inputs); minPinLength answers only for the RP ID
authenticatorConfig's setMinPINLength named; thirdPartyPayment (CTAP 2.2)
marks a credential. Inputs are built by python-fido2's extension classes
where 0.9.1 has one (CredProtectExtension, CredBlobExtension,
MinPinLengthExtension). Each check prints PASS or FAIL; the last line is
"N passed, N failed"; the exit code is 0 when all passed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.attestation import Attestation  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import AuthenticatorData, ClientPin, Ctap2  # noqa: E402
from fido2.ctap2.config import Config  # noqa: E402
from fido2.ctap2.extensions import CredBlobExtension, CredProtectExtension, MinPinLengthExtension  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "ext.example.com", "name": "Extensions RP"}
OTHER_RP = {"id": "other.example.com", "name": "Other RP"}
UV = AuthenticatorData.FLAG.USER_VERIFIED
ED = AuthenticatorData.FLAG.EXTENSION_DATA
PERM = ClientPin.PERMISSION
NO_CREDENTIALS = CtapError.ERR.NO_CREDENTIALS
POLICY = CredProtectExtension.POLICY


class ExtensionsUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.client_pin = None
        self.pin = args.pin
        self.n = 0

    def init(self):
        self.open()
        self.ctap2 = Ctap2(self.dev)
        self.client_pin = ClientPin(self.ctap2)

    def has(self, extension):
        return extension in self.ctap2.info.extensions

    def set_pin(self):
        self.client_pin.set_pin(self.pin)
        assert self.ctap2.get_info().options.get("clientPin") is True

    # -- helpers -------------------------------------------------------------

    def user(self):
        self.n += 1
        return {"id": os.urandom(16), "name": "user%d" % self.n, "displayName": "User %d" % self.n}

    def make(self, extensions, rk, rp=RP):
        """makeCredential with a PIN token (mc, bound to the RP); returns (attestation, credential ID, key)."""
        token = self.client_pin.get_pin_token(self.pin, PERM.MAKE_CREDENTIAL, rp["id"])
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh, rp, self.user(), ES256_PARAMS, extensions=extensions,
            options={"rk": True} if rk else None, **pin_uv_auth(self.client_pin.protocol, token, cdh),
        )
        Attestation.for_type(att.fmt)().verify(att.att_statement, att.auth_data, cdh)
        cd = att.auth_data.credential_data
        return att, cd.credential_id, cd.public_key

    def get(self, allow=None, extensions=None, uv=False):
        """getAssertion for RP, with a PIN token (ga) when uv; the assertion is verified by the caller."""
        cdh = os.urandom(32)
        auth = {}
        if uv:
            token = self.client_pin.get_pin_token(self.pin, PERM.GET_ASSERTION, RP["id"])
            auth = pin_uv_auth(self.client_pin.protocol, token, cdh)
        allow_list = [{"type": "public-key", "id": i} for i in allow] if allow else None
        a = self.ctap2.get_assertion(RP["id"], cdh, allow_list, extensions, **auth)
        return a, cdh

    def getinfo(self):
        info = self.ctap2.get_info()
        assert "credProtect" in info.extensions, "extensions %r" % info.extensions
        if self.has("credBlob"):
            assert info.max_cred_blob_length == self.args.max_cred_blob_length, "maxCredBlobLength %r" % (
                info.max_cred_blob_length,
            )
        else:
            assert info.max_cred_blob_length is None, "maxCredBlobLength without credBlob"

    # -- credProtect (section 12.1) --------------------------------------------

    def cred_protect_3(self):
        level = CredProtectExtension(self.ctap2).process_create_input(
            {"credentialProtectionPolicy": POLICY.REQUIRED, "enforceCredentialProtectionPolicy": True}
        )
        assert level == 3
        att, cred_id, public_key = self.make({"credProtect": level}, rk=True)
        assert att.auth_data.extensions == {"credProtect": 3}, "output %r" % att.auth_data.extensions
        # 7.4: without UV the credential is not applicable, with or without an allowList.
        expect_ctap_error(NO_CREDENTIALS, lambda: self.get())
        expect_ctap_error(NO_CREDENTIALS, lambda: self.get(allow=[cred_id]))
        # With UV (a PIN token) it signs.
        a, cdh = self.get(allow=[cred_id], uv=True)
        a.verify(cdh, public_key)
        assert a.credential["id"] == cred_id
        assert a.auth_data.flags & UV, "UV not set"
        a, cdh = self.get(uv=True)
        a.verify(cdh, public_key)
        assert a.credential["id"] == cred_id, "another credential answered"
        self.level3 = cred_id

    def cred_protect_3_non_discoverable(self):
        att, cred_id, public_key = self.make({"credProtect": 3}, rk=False)
        assert att.auth_data.extensions == {"credProtect": 3}, "output %r" % att.auth_data.extensions
        expect_ctap_error(NO_CREDENTIALS, lambda: self.get(allow=[cred_id]))
        a, cdh = self.get(allow=[cred_id], uv=True)
        a.verify(cdh, public_key)

    def cred_protect_2(self):
        level = CredProtectExtension(self.ctap2).process_create_input(
            {"credentialProtectionPolicy": POLICY.OPTIONAL_WITH_LIST}
        )
        assert level == 2
        att, cred_id, public_key = self.make({"credProtect": level}, rk=True)
        assert att.auth_data.extensions == {"credProtect": 2}, "output %r" % att.auth_data.extensions
        # 7.5: without an allowList and without UV it is hidden (and the level 3 one too).
        expect_ctap_error(NO_CREDENTIALS, lambda: self.get())
        # Named in the allowList it signs without UV.
        a, cdh = self.get(allow=[cred_id])
        a.verify(cdh, public_key)
        assert not a.auth_data.flags & UV
        # With UV both are discoverable.
        a, cdh = self.get(uv=True)
        assert a.number_of_credentials == 2, "numberOfCredentials %r" % a.number_of_credentials

    def cred_protect_1_is_discoverable(self):
        att, cred_id, public_key = self.make({"credProtect": 1}, rk=True)
        assert att.auth_data.extensions == {"credProtect": 1}
        a, cdh = self.get()
        a.verify(cdh, public_key)
        assert a.credential["id"] == cred_id, "the only credential visible without UV is the level 1 one"

    # -- credBlob (section 12.2) -------------------------------------------------

    def cred_blob_round_trip(self):
        ext = CredBlobExtension(self.ctap2)
        blob = os.urandom(self.ctap2.info.max_cred_blob_length)
        for rk in (True, False):
            value = ext.process_create_input({"credBlob": blob})
            assert value == blob, "python-fido2 dropped the blob"
            att, cred_id, public_key = self.make({"credBlob": value}, rk=rk)
            assert att.auth_data.extensions == {"credBlob": True}, "output %r" % att.auth_data.extensions
            get = ext.process_get_input({"getCredBlob": True})
            a, cdh = self.get(allow=[cred_id], extensions={CredBlobExtension.NAME: get})
            a.verify(cdh, public_key)
            assert a.auth_data.extensions == {"credBlob": blob}, "rk=%s: %r" % (rk, a.auth_data.extensions)

    def cred_blob_too_long(self):
        blob = os.urandom(self.ctap2.info.max_cred_blob_length + 1)
        att, cred_id, _ = self.make({"credBlob": blob}, rk=True)
        assert att.auth_data.extensions == {"credBlob": False}, "output %r" % att.auth_data.extensions
        a, _ = self.get(allow=[cred_id], extensions={"credBlob": True})
        assert a.auth_data.extensions == {"credBlob": b""}, "a blob that was not kept: %r" % a.auth_data.extensions

    # -- minPinLength (section 12.4) ---------------------------------------------

    def min_pin_length(self):
        ext = MinPinLengthExtension(self.ctap2)
        ask = {MinPinLengthExtension.NAME: ext.process_create_input({"minPinLength": True})}
        assert ask == {"minPinLength": True}
        # Before authenticatorConfig names the RP: no output.
        att, _, _ = self.make(ask, rk=False)
        assert not att.auth_data.flags & ED, "output %r before setMinPINLength" % att.auth_data.extensions
        token = self.client_pin.get_pin_token(self.pin, PERM.AUTHENTICATOR_CFG)
        Config(self.ctap2, self.client_pin.protocol, token).set_min_pin_length(rp_ids=[RP["id"]])
        att, _, _ = self.make(ask, rk=False)
        expected = self.ctap2.get_info().min_pin_length
        assert att.auth_data.extensions == {"minPinLength": expected}, "output %r" % att.auth_data.extensions
        att, _, _ = self.make(ask, rk=False, rp=OTHER_RP)
        assert not att.auth_data.flags & ED, "output %r for an RP not named" % att.auth_data.extensions

    # -- thirdPartyPayment (CTAP 2.2) --------------------------------------------

    def third_party_payment(self):
        att, marked, _ = self.make({"thirdPartyPayment": True}, rk=False)
        # No makeCredential output (libfido2: "thirdPartyPayment has no output for make credential").
        assert not att.auth_data.flags & ED, "output %r" % att.auth_data.extensions
        _, plain, _ = self.make(None, rk=False)
        a, _ = self.get(allow=[marked], extensions={"thirdPartyPayment": True})
        assert a.auth_data.extensions == {"thirdPartyPayment": True}, "%r" % a.auth_data.extensions
        a, _ = self.get(allow=[plain], extensions={"thirdPartyPayment": True})
        assert a.auth_data.extensions == {"thirdPartyPayment": False}, "%r" % a.auth_data.extensions


def main(argv=None):
    p = argument_parser(__doc__, pin=True)
    p.add_argument("--max-cred-blob-length", type=int, default=32, help="the profile's maxCredBlobLength")
    args = p.parse_args(argv)

    t = ExtensionsUdpTests(args)
    checks = [
        ("init", t.init),
        ("getInfo extensions", t.getinfo, ["init"]),
        ("setPIN", t.set_pin, ["init"]),
        ("credProtect 3: invisible without UV, visible with UV", t.cred_protect_3, ["setPIN"]),
        ("credProtect 3, non-discoverable", t.cred_protect_3_non_discoverable, ["setPIN"]),
        ("credProtect 2: hidden without allowList and UV", t.cred_protect_2, [
            "credProtect 3: invisible without UV, visible with UV"]),
        ("credProtect 1: discoverable without UV", t.cred_protect_1_is_discoverable, [
            "credProtect 2: hidden without allowList and UV"]),
    ]
    # The checks of the extensions the key lists, chosen once init has read getInfo.
    optional = [
        ("credBlob", [
            ("credBlob round trip", t.cred_blob_round_trip, ["setPIN"]),
            ("credBlob longer than maxCredBlobLength", t.cred_blob_too_long, ["setPIN"]),
        ]),
        ("minPinLength", [("minPinLength for the RP IDs setMinPINLength named", t.min_pin_length, ["setPIN"])]),
        ("thirdPartyPayment", [("thirdPartyPayment", t.third_party_payment, ["setPIN"])]),
    ]

    def all_checks():
        for check in checks:
            yield check
        for extension, extension_checks in optional:
            if t.ctap2 is not None and t.has(extension):
                for check in extension_checks:
                    yield check

    return run_checks(t, all_checks())


if __name__ == "__main__":
    sys.exit(main())
