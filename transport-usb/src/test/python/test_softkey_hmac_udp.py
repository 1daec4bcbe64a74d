#!/usr/bin/python3
"""hmac-secret (CTAP 2.1 section 12.5) and hmac-secret-mc (CTAP 2.2), with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain, generic profile), then:

    /usr/bin/python3 test_softkey_hmac_udp.py --device-port 8111 --host-port 7112

python-fido2's own HmacSecretExtension makes the inputs and reads the outputs
(hmacCreateSecret at makeCredential, hmacGetSecret with salt1 and salt2 at
getAssertion), over PIN/UV auth protocols 1 and 2: the output is stable for
the same salt, differs for another salt and with and without UV (a PIN token
or none), and two salts give the two single-salt outputs. python-fido2 0.9.1
predates hmac-secret-mc, so that input is built from its ClientPin and
PinProtocol classes. Each check prints PASS or FAIL; the last line is
"N passed, N failed"; the exit code is 0 when all passed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.attestation import Attestation  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import AuthenticatorData, ClientPin, Ctap2  # noqa: E402
from fido2.ctap2.extensions import HmacSecretExtension  # noqa: E402
from fido2.ctap2.pin import PinProtocolV1, PinProtocolV2  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "hmac.example", "name": "HMAC Example"}
UV = AuthenticatorData.FLAG.USER_VERIFIED
ED = AuthenticatorData.FLAG.EXTENSION_DATA
PERM = ClientPin.PERMISSION
SALT1 = bytes(range(32))
SALT2 = bytes(range(32, 64))
SALT3 = b"\x5a" * 32


class HmacUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.cred = None
        self.rk_cred = None
        self.plain_cred = None
        self.no_uv = {}  # protocol version -> output1 for SALT1 without UV

    def connect(self):
        super().connect()
        self.ctap2 = Ctap2(self.dev)

    def init(self):
        self.open()
        # A power cycle first, so the reset lands inside the 10 s window after power-up.
        self.connection.send_reboot()
        self.connect()
        self.ctap2.reset()

    def info(self):
        info = self.ctap2.get_info()
        assert "hmac-secret" in info.extensions, "extensions %r" % info.extensions
        assert "hmac-secret-mc" in info.extensions, "extensions %r" % info.extensions

    # -- helpers -------------------------------------------------------------

    def make(self, hmac=True, rk=False, user_id=b"hmac-user"):
        ext = HmacSecretExtension(self.ctap2)
        extensions = {}
        if hmac:
            extensions["hmac-secret"] = ext.process_create_input({"hmacCreateSecret": True})
        cdh = os.urandom(32)
        user = {"id": user_id, "name": "alice"}
        att = self.ctap2.make_credential(
            cdh, RP, user, ES256_PARAMS, extensions=extensions or None, options={"rk": True} if rk else None
        )
        Attestation.for_type(att.fmt)().verify(att.att_statement, att.auth_data, cdh)
        if hmac:
            assert ext.process_create_output(att.auth_data) == {"hmacCreateSecret": True}, att.auth_data.extensions
            assert att.auth_data.flags & ED, "ED not set"
        cd = att.auth_data.credential_data
        return (cd.credential_id, cd.public_key)

    def get(self, cred, protocol, salt1, salt2=None, pin=None):
        """hmacGetSecret through python-fido2's HmacSecretExtension; the verified outputs."""
        ext = HmacSecretExtension(self.ctap2, protocol)
        salts = {"salt1": salt1}
        if salt2 is not None:
            salts["salt2"] = salt2
        extensions = {"hmac-secret": ext.process_get_input({"hmacGetSecret": salts})}
        cdh = os.urandom(32)
        kwargs = {}
        if pin is not None:
            client_pin = ClientPin(self.ctap2, protocol)
            token = client_pin.get_pin_token(pin, PERM.GET_ASSERTION, RP["id"])
            kwargs = pin_uv_auth(protocol, token, cdh)
        allow = [{"type": "public-key", "id": cred[0]}] if cred is not None else None
        a = self.ctap2.get_assertion(RP["id"], cdh, allow_list=allow, extensions=extensions, **kwargs)
        if cred is not None:
            a.verify(cdh, cred[1])
        assert a.auth_data.flags & ED, "ED not set"
        assert bool(a.auth_data.flags & UV) == (pin is not None), "UV flag %r" % a.auth_data.flags
        out = ext.process_get_output(a.auth_data)["hmacGetSecret"]
        return out["output1"], out.get("output2")

    # -- checks --------------------------------------------------------------

    def create(self):
        self.cred = self.make()

    def stable(self, protocol):
        def check():
            o1, o2 = self.get(self.cred, protocol, SALT1)
            assert len(o1) == 32 and o2 is None
            again, _ = self.get(self.cred, protocol, SALT1)
            assert again == o1, "not stable for the same salt"
            self.no_uv[protocol.VERSION] = o1
        return check

    def protocols_agree(self):
        assert self.no_uv[1] == self.no_uv[2], "protocols 1 and 2 give different outputs"

    def other_salt(self):
        o, _ = self.get(self.cred, PinProtocolV2(), SALT3)
        assert o != self.no_uv[2], "another salt gave the same output"

    def two_salts(self, protocol):
        def check():
            o1, o2 = self.get(self.cred, protocol, SALT1, SALT2)
            assert o1 == self.no_uv[2], "output1 differs from the single-salt output"
            alone, _ = self.get(self.cred, protocol, SALT2)
            assert o2 == alone and o2 != o1, "output2 is not salt2's output"
        return check

    def set_pin(self):
        ClientPin(self.ctap2).set_pin("4711-softkey")

    def with_uv(self, protocol):
        def check():
            uv, _ = self.get(self.cred, protocol, SALT1, pin="4711-softkey")
            assert uv != self.no_uv[2], "same output with and without UV"
            again, _ = self.get(self.cred, protocol, SALT1, pin="4711-softkey")
            assert again == uv, "the UV output is not stable"
            no_uv, _ = self.get(self.cred, protocol, SALT1)
            assert no_uv == self.no_uv[2], "the output without UV changed once a PIN was set"
        return check

    def discoverable(self):
        token = ClientPin(self.ctap2).get_pin_token("4711-softkey", PERM.MAKE_CREDENTIAL, RP["id"])
        ext = HmacSecretExtension(self.ctap2)
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh, RP, {"id": b"rk-user", "name": "bob"}, ES256_PARAMS,
            extensions={"hmac-secret": ext.process_create_input({"hmacCreateSecret": True})},
            options={"rk": True}, **pin_uv_auth(ClientPin(self.ctap2).protocol, token, cdh),
        )
        assert att.auth_data.extensions == {"hmac-secret": True}, att.auth_data.extensions
        o1, _ = self.get(None, PinProtocolV2(), SALT1, pin="4711-softkey")
        o2, _ = self.get(None, PinProtocolV2(), SALT1, pin="4711-softkey")
        assert o1 == o2 and o1 != self.no_uv[2]

    def no_hmac_credential(self):
        token = ClientPin(self.ctap2).get_pin_token("4711-softkey", PERM.MAKE_CREDENTIAL, RP["id"])
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh, RP, {"id": b"plain", "name": "carol"}, ES256_PARAMS,
            **pin_uv_auth(ClientPin(self.ctap2).protocol, token, cdh),
        )
        cred_id = att.auth_data.credential_data.credential_id
        ext = HmacSecretExtension(self.ctap2, PinProtocolV2())
        a = self.ctap2.get_assertion(
            RP["id"], os.urandom(32), allow_list=[{"type": "public-key", "id": cred_id}],
            extensions={"hmac-secret": ext.process_get_input({"hmacGetSecret": {"salt1": SALT1}})},
        )
        assert not a.auth_data.extensions, "output for a credential made without hmac-secret: %r" % a.auth_data.extensions
        assert not a.auth_data.flags & ED

    def wrong_salt_auth(self):
        ext = HmacSecretExtension(self.ctap2, PinProtocolV2())
        inp = ext.process_get_input({"hmacGetSecret": {"salt1": SALT1}})
        inp[3] = bytes(32)
        expect_ctap_error(
            CtapError.ERR.PIN_AUTH_INVALID,
            lambda: self.ctap2.get_assertion(
                RP["id"], os.urandom(32), allow_list=[{"type": "public-key", "id": self.cred[0]}],
                extensions={"hmac-secret": inp},
            ),
        )

    def hmac_secret_mc(self):
        # CTAP 2.2 hmac-secret-mc: the same map as hmac-secret's getAssertion input.
        protocol = PinProtocolV2()
        client_pin = ClientPin(self.ctap2, protocol)
        key_agreement, shared_secret = client_pin._get_shared_secret()
        salt_enc = protocol.encrypt(shared_secret, SALT1)
        salt_auth = protocol.authenticate(shared_secret, salt_enc)
        mc_input = {1: key_agreement, 2: salt_enc, 3: salt_auth, 4: protocol.VERSION}
        token = ClientPin(self.ctap2, protocol).get_pin_token("4711-softkey", PERM.MAKE_CREDENTIAL, RP["id"])
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh, RP, {"id": b"mc-user", "name": "dave"}, ES256_PARAMS,
            extensions={"hmac-secret": True, "hmac-secret-mc": mc_input},
            **pin_uv_auth(protocol, token, cdh),
        )
        assert att.auth_data.flags & UV
        assert att.auth_data.extensions["hmac-secret"] is True
        at_creation = protocol.decrypt(shared_secret, att.auth_data.extensions["hmac-secret-mc"])
        cd = att.auth_data.credential_data
        later, _ = self.get((cd.credential_id, cd.public_key), protocol, SALT1, pin="4711-softkey")
        assert at_creation == later, "hmac-secret-mc differs from the later hmac-secret output"


def main(argv=None):
    p = argument_parser(__doc__)
    args = p.parse_args(argv)

    t = HmacUdpTests(args)
    v1, v2 = PinProtocolV1(), PinProtocolV2()
    return run_checks(
        t,
        [
            ("init and reset", t.init),
            ("getInfo lists hmac-secret and hmac-secret-mc", t.info, ["init and reset"]),
            ("makeCredential hmacCreateSecret", t.create, ["init and reset"]),
            ("protocol 1: same salt, same output", t.stable(v1), ["makeCredential hmacCreateSecret"]),
            ("protocol 2: same salt, same output", t.stable(v2), ["makeCredential hmacCreateSecret"]),
            ("protocols 1 and 2 agree", t.protocols_agree,
             ["protocol 1: same salt, same output", "protocol 2: same salt, same output"]),
            ("another salt, another output", t.other_salt, ["protocol 2: same salt, same output"]),
            ("protocol 1: two salts", t.two_salts(v1), ["protocol 2: same salt, same output"]),
            ("protocol 2: two salts", t.two_salts(v2), ["protocol 2: same salt, same output"]),
            ("setPIN", t.set_pin, ["init and reset"]),
            ("protocol 1: with UV another output", t.with_uv(v1), ["setPIN", "protocol 2: same salt, same output"]),
            ("protocol 2: with UV another output", t.with_uv(v2), ["setPIN", "protocol 2: same salt, same output"]),
            ("discoverable credential", t.discoverable, ["setPIN", "protocol 2: same salt, same output"]),
            ("no output without hmacCreateSecret", t.no_hmac_credential, ["setPIN"]),
            ("wrong saltAuth: PIN_AUTH_INVALID", t.wrong_salt_auth, ["makeCredential hmacCreateSecret"]),
            ("hmac-secret-mc", t.hmac_secret_mc, ["setPIN"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
