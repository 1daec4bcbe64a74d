#!/usr/bin/python3
"""End-to-end check of a running softkey on UDP with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain), then:

    /usr/bin/python3 test_softkey_udp.py --device-port 8111 --host-port 7112

Use Debian 12's python3-fido2 (0.9.1) through /usr/bin/python3. The device
must be fresh: no PIN set (the script sets one). Each check prints PASS or
FAIL; the last line is "N passed, N failed"; the exit code is 0 when all
passed, 1 otherwise.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.attestation import Attestation  # noqa: E402
from fido2.cose import CoseKey, ES256  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap1 import APDU, ApduError, Ctap1  # noqa: E402
from fido2.ctap2 import AuthenticatorData, ClientPin, Ctap2  # noqa: E402
from fido2.hid import CAPABILITY  # noqa: E402
from fido2.utils import sha256  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "example.com", "name": "Example"}
RK_RP = {"id": "rk.example.com", "name": "Resident Example"}
UP = AuthenticatorData.FLAG.USER_PRESENT
UV = AuthenticatorData.FLAG.USER_VERIFIED
AT = AuthenticatorData.FLAG.ATTESTED
KNOWN_VERSIONS = {"U2F_V2", "FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1"}


class SoftkeyUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.info = None
        self.cred = None
        self.rk_cred = None
        self.rk_user = None
        self.client_pin = None
        self.token = None

    # -- CTAPHID ------------------------------------------------------------

    def init(self):
        # CtapHidDevice.__init__ sends CTAPHID_INIT on the broadcast channel
        # and checks the nonce (CTAP 2.1 section 11.2.9.1.3).
        self.open()
        assert self.dev.version == 2, "CTAPHID protocol version %r" % self.dev.version
        cid = self.dev._channel_id
        assert cid not in (0, 0xFFFFFFFF), "allocated channel 0x%08x" % cid
        assert self.dev.capabilities & CAPABILITY.CBOR, "CAPABILITY_CBOR not set"

    def ping(self):
        for size in (0, 10, 57, 58, 1000):
            data = os.urandom(size)
            echoed = self.dev.ping(data)
            assert echoed == data, "ping of %d bytes came back as %d bytes" % (size, len(echoed))

    def wink(self):
        if self.dev.capabilities & CAPABILITY.WINK:
            self.dev.wink()
        else:
            expect_ctap_error(CtapError.ERR.INVALID_COMMAND, self.dev.wink)

    # -- CTAP2 --------------------------------------------------------------

    def get_info(self):
        # Ctap2 decodes with strict_cbor=True: non-canonical CBOR fails here.
        self.ctap2 = Ctap2(self.dev)
        info = self.ctap2.get_info()
        self.info = info
        versions = set(info.versions)
        assert versions <= KNOWN_VERSIONS, "unknown versions %r" % info.versions
        assert versions & {"FIDO_2_0", "FIDO_2_1"}, "no FIDO2 version in %r" % info.versions
        assert isinstance(info.aaguid, bytes) and len(info.aaguid) == 16, "aaguid %r" % info.aaguid
        if self.args.aaguid:
            assert info.aaguid.hex() == self.args.aaguid.replace("-", "").lower(), (
                "aaguid %s, expected %s" % (info.aaguid.hex(), self.args.aaguid)
            )
        for name, value in info.options.items():
            assert isinstance(value, bool), "option %s is %r, not a bool" % (name, value)
        assert info.options.get("plat", False) is False, "a roaming key must not say plat=true"
        assert info.options.get("up", True) is True, "up must be supported"
        assert info.options.get("rk") is True, "rk option %r" % info.options.get("rk")
        assert info.options.get("clientPin") is False, (
            "clientPin should be present and false on a fresh device, is %r"
            % info.options.get("clientPin")
        )
        assert info.pin_uv_protocols and set(info.pin_uv_protocols) <= {1, 2}, (
            "pinUvAuthProtocols %r" % info.pin_uv_protocols
        )
        assert info.max_msg_size >= 1024, "maxMsgSize %r" % info.max_msg_size
        if info.algorithms is not None:
            assert {"type": "public-key", "alg": -7} in info.algorithms, (
                "ES256 missing from %r" % info.algorithms
            )

    def _check_attestation(self, att, cdh, rp_id, flags_set):
        ad = att.auth_data
        assert ad.rp_id_hash == sha256(rp_id.encode()), "rpIdHash"
        for flag in flags_set:
            assert ad.flags & flag, "flag 0x%02x not set in 0x%02x" % (flag, ad.flags)
        assert ad.credential_data is not None, "no attested credential data"
        assert ad.credential_data.aaguid == self.info.aaguid or att.fmt == "none", (
            "aaguid in authData differs from getInfo"
        )
        key = ad.credential_data.public_key
        assert isinstance(key, ES256), "credential key is %r, not ES256" % type(key).__name__
        # The attestation statement's signature over authData || clientDataHash,
        # and for packed x5c the certificate requirements (WebAuthn 8.2.1).
        Attestation.for_type(att.fmt)().verify(att.att_statement, ad, cdh)

    def make_credential(self):
        cdh = os.urandom(32)
        user = {"id": b"user-1", "name": "alice"}
        att = self.ctap2.make_credential(cdh, RP, user, ES256_PARAMS)
        self._check_attestation(att, cdh, RP["id"], (UP, AT))
        assert not att.auth_data.flags & UV, "UV set without user verification"
        cd = att.auth_data.credential_data
        self.cred = (cd.credential_id, cd.public_key, att.auth_data.counter)

    def get_assertion(self):
        cred_id, public_key, counter = self.cred
        cdh = os.urandom(32)
        allow = [{"type": "public-key", "id": cred_id}]
        a = self.ctap2.get_assertion(RP["id"], cdh, allow)
        a.verify(cdh, public_key)  # ES256 signature over authData || clientDataHash
        assert a.auth_data.rp_id_hash == sha256(RP["id"].encode()), "rpIdHash"
        assert a.auth_data.flags & UP, "UP not set"
        assert a.auth_data.counter >= counter, "signCount went down"
        if a.credential is not None:
            assert a.credential["id"] == cred_id, "another credential answered"

    def make_credential_rk(self):
        cdh = os.urandom(32)
        self.rk_user = {"id": os.urandom(16), "name": "bob", "displayName": "Bob"}
        att = self.ctap2.make_credential(
            cdh, RK_RP, self.rk_user, ES256_PARAMS, options={"rk": True}
        )
        self._check_attestation(att, cdh, RK_RP["id"], (UP, AT))
        cd = att.auth_data.credential_data
        self.rk_cred = (cd.credential_id, cd.public_key)

    def get_assertion_rk(self):
        cred_id, public_key = self.rk_cred
        cdh = os.urandom(32)
        a = self.ctap2.get_assertion(RK_RP["id"], cdh)  # no allowList: discoverable
        a.verify(cdh, public_key)
        assert a.credential["id"] == cred_id, "another credential answered"
        assert a.user is not None and a.user["id"] == self.rk_user["id"], "user %r" % a.user
        assert a.number_of_credentials in (None, 1), "numberOfCredentials %r" % a.number_of_credentials

    # -- CTAP1 / U2F ----------------------------------------------------------

    def ctap1(self):
        ctap1 = Ctap1(self.dev)
        if "U2F_V2" not in self.info.versions:
            try:
                ctap1.get_version()
            except (ApduError, CtapError):
                return
            raise AssertionError("U2F answered though getInfo lacks U2F_V2")
        assert ctap1.get_version() == "U2F_V2"
        client_param = os.urandom(32)
        app_param = sha256(b"https://u2f.example.com")
        reg = ctap1.register(client_param, app_param)
        reg.verify(app_param, client_param)  # attestation certificate's signature
        client_param = os.urandom(32)
        auth = ctap1.authenticate(client_param, app_param, reg.key_handle)
        auth.verify(app_param, client_param, reg.public_key)
        assert auth.user_presence & 0x01, "user presence byte %r" % auth.user_presence
        try:
            ctap1.authenticate(client_param, app_param, reg.key_handle, check_only=True)
            raise AssertionError("check-only authenticate did not answer SW_CONDITIONS_NOT_SATISFIED")
        except ApduError as e:
            assert e.code == APDU.USE_NOT_SATISFIED, "status word 0x%04x" % e.code
        try:
            ctap1.authenticate(client_param, sha256(b"https://other.example"), reg.key_handle)
            raise AssertionError("a key handle was accepted for another application")
        except ApduError as e:
            assert e.code == APDU.WRONG_DATA, "status word 0x%04x" % e.code

    # -- PIN ------------------------------------------------------------------

    def set_pin(self):
        self.client_pin = ClientPin(self.ctap2)
        self.client_pin.set_pin(self.args.pin)
        retries, _ = self.client_pin.get_pin_retries()
        assert retries == 8, "pinRetries %r after setPIN" % retries
        info = self.ctap2.get_info()
        assert info.options.get("clientPin") is True, "clientPin option %r" % info.options.get("clientPin")

    def wrong_pin(self):
        expect_ctap_error(
            CtapError.ERR.PIN_INVALID,
            lambda: self.client_pin.get_pin_token(
                "0" * len(self.args.pin), ClientPin.PERMISSION.GET_ASSERTION, RP["id"]
            ),
        )
        retries, _ = self.client_pin.get_pin_retries()
        assert retries == 7, "pinRetries %r after one wrong PIN" % retries

    def pin_token(self):
        permissions = ClientPin.PERMISSION.MAKE_CREDENTIAL | ClientPin.PERMISSION.GET_ASSERTION
        self.token = self.client_pin.get_pin_token(self.args.pin, permissions, RP["id"])
        assert len(self.token) in (16, 32), "token of %d bytes" % len(self.token)
        retries, _ = self.client_pin.get_pin_retries()
        assert retries == 8, "pinRetries %r after the right PIN" % retries

    def make_credential_with_pin(self):
        protocol = self.client_pin.protocol
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh,
            RP,
            {"id": b"user-2", "name": "carol"},
            ES256_PARAMS,
            **pin_uv_auth(protocol, self.token, cdh),
        )
        self._check_attestation(att, cdh, RP["id"], (UP, UV, AT))

    def get_assertion_with_pin(self):
        cred_id, public_key, _ = self.cred
        protocol = self.client_pin.protocol
        allow = [{"type": "public-key", "id": cred_id}]
        if self.info.options.get("pinUvAuthToken"):
            # CTAP 2.1 section 6.1.2 step 14: makeCredential with up=true ends
            # with clearPinUvAuthTokenPermissionsExceptLbw(), so the token used
            # above has lost its ga permission (see google/ctap2-test-tool#111).
            cdh = os.urandom(32)
            expect_ctap_error(
                CtapError.ERR.PIN_AUTH_INVALID,
                lambda: self.ctap2.get_assertion(
                    RP["id"],
                    cdh,
                    allow,
                    **pin_uv_auth(protocol, self.token, cdh),
                ),
            )
        self.token = self.client_pin.get_pin_token(
            self.args.pin, ClientPin.PERMISSION.GET_ASSERTION, RP["id"]
        )
        cdh = os.urandom(32)
        a = self.ctap2.get_assertion(
            RP["id"],
            cdh,
            allow,
            **pin_uv_auth(protocol, self.token, cdh),
        )
        a.verify(cdh, public_key)
        assert a.auth_data.flags & UV, "UV not set with a pinUvAuthParam"

    def make_credential_rk_needs_pin(self):
        # CTAP 2.1 section 6.1.2, the makeCredUvNotRqd rule: with a PIN set, no
        # pinUvAuthParam and rk requested, the answer is CTAP2_ERR_PUAT_REQUIRED
        # (0x36, PIN_REQUIRED in python-fido2 0.9.1).
        expect_ctap_error(
            CtapError.ERR.PIN_REQUIRED,
            lambda: self.ctap2.make_credential(
                os.urandom(32),
                RK_RP,
                {"id": b"user-3", "name": "dave"},
                ES256_PARAMS,
                options={"rk": True},
            ),
        )

    def power_cycle(self):
        # The magic reboot datagram is a power cycle: pinUvAuthTokens are
        # volatile (CTAP 2.1 section 6.5.2.1), so a fresh, unused token taken
        # just before it must fail just after it; the PIN (stored) survives.
        cred_id, public_key, _ = self.cred
        protocol = self.client_pin.protocol
        allow = [{"type": "public-key", "id": cred_id}]
        token = self.client_pin.get_pin_token(
            self.args.pin, ClientPin.PERMISSION.GET_ASSERTION, RP["id"]
        )
        self.connection.send_reboot()
        self.connect()
        self.ctap2 = Ctap2(self.dev)
        self.client_pin = ClientPin(self.ctap2)
        cdh = os.urandom(32)
        expect_ctap_error(
            CtapError.ERR.PIN_AUTH_INVALID,
            lambda: self.ctap2.get_assertion(
                RP["id"],
                cdh,
                allow,
                **pin_uv_auth(protocol, token, cdh),
            ),
        )
        token = self.client_pin.get_pin_token(
            self.args.pin, ClientPin.PERMISSION.GET_ASSERTION, RP["id"]
        )
        cdh = os.urandom(32)
        a = self.ctap2.get_assertion(
            RP["id"],
            cdh,
            allow,
            **pin_uv_auth(protocol, token, cdh),
        )
        a.verify(cdh, public_key)  # the credential survived too


def main(argv=None):
    p = argument_parser(__doc__, pin=True)
    p.add_argument("--aaguid", help="expected AAGUID (hex or UUID form)")
    args = p.parse_args(argv)

    t = SoftkeyUdpTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("ping", t.ping, ["init"]),
            ("wink", t.wink, ["init"]),
            ("getInfo", t.get_info, ["init"]),
            ("makeCredential ES256", t.make_credential, ["getInfo"]),
            ("getAssertion", t.get_assertion, ["makeCredential ES256"]),
            ("makeCredential rk", t.make_credential_rk, ["getInfo"]),
            ("getAssertion rk", t.get_assertion_rk, ["makeCredential rk"]),
            ("CTAP1 register/authenticate", t.ctap1, ["getInfo"]),
            ("clientPin setPIN", t.set_pin, ["getInfo"]),
            ("clientPin wrong PIN", t.wrong_pin, ["clientPin setPIN"]),
            ("clientPin pinUvAuthToken", t.pin_token, ["clientPin setPIN"]),
            ("makeCredential with pinUvAuthParam", t.make_credential_with_pin, ["clientPin pinUvAuthToken"]),
            (
                "getAssertion with pinUvAuthParam",
                t.get_assertion_with_pin,
                ["clientPin pinUvAuthToken", "makeCredential ES256"],
            ),
            ("makeCredential rk without PIN", t.make_credential_rk_needs_pin, ["clientPin setPIN"]),
            ("power cycle (reboot datagram)", t.power_cycle, ["getAssertion with pinUvAuthParam"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
