#!/usr/bin/python3
"""authenticatorConfig and the Entra ID provisioning sequence, with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain, generic profile), then:

    /usr/bin/python3 test_softkey_config_udp.py --device-port 8111 --host-port 7112

The provisioning sequence is that of the public Entra ID tools
(../shared/docs/entra.md section 1.4): authenticatorReset, a random 6-digit
PIN, the registration, a pinUvAuthToken with the acfg permission,
setMinPINLength(newMinPINLength=6) and setMinPINLength(forceChangePin=true).
Then the user's first sign-in with the provisioned PIN fails as CTAP 2.1
says (getPinUvAuthTokenUsingPinWithPermissions: CTAP2_ERR_PIN_POLICY_VIOLATION;
getPinToken: CTAP2_ERR_PIN_INVALID), changePIN succeeds and the sign-in works.
Each check prints PASS or FAIL; the last line is "N passed, N failed"; the
exit code is 0 when all passed.
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.attestation import Attestation  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import AuthenticatorData, ClientPin, Ctap2  # noqa: E402
from fido2.ctap2.config import Config  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "login.microsoft.com", "name": "Microsoft"}
UV = AuthenticatorData.FLAG.USER_VERIFIED
BANNED = {"123456", "123123", "654321", "123321", "112233", "121212", "520520", "123654", "159753"}
PERM = ClientPin.PERMISSION

# CTAP status codes python-fido2 0.9.1 names.
PIN_POLICY_VIOLATION = CtapError.ERR.PIN_POLICY_VIOLATION
PIN_INVALID = CtapError.ERR.PIN_INVALID
PIN_AUTH_INVALID = CtapError.ERR.PIN_AUTH_INVALID
PUAT_REQUIRED = 0x36  # CTAP2_ERR_PUAT_REQUIRED, which python-fido2 0.9.1 does not name
INVALID_PARAMETER = CtapError.ERR.INVALID_PARAMETER


def random_pin():
    """A 6-digit PIN as the provisioning tools make it: not one digit repeated, not banned."""
    rng = random.SystemRandom()
    while True:
        pin = "".join(rng.choice("0123456789") for _ in range(6))
        if len(set(pin)) > 1 and pin not in BANNED:
            return pin


class ConfigUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.client_pin = None
        self.pin = random_pin()
        self.new_pin = random_pin()
        while self.new_pin == self.pin:
            self.new_pin = random_pin()
        self.cred = None

    def connect(self):
        super().connect()
        self.ctap2 = Ctap2(self.dev)
        self.client_pin = ClientPin(self.ctap2)

    def info(self):
        return self.ctap2.get_info()

    def init(self):
        self.open()

    # -- section 1.4 ---------------------------------------------------------

    def reset(self):
        # A power cycle first, so the reset lands inside the 10 s window after power-up.
        self.connection.send_reboot()
        self.connect()
        self.ctap2.reset()
        info = self.info()
        assert info.options.get("clientPin") is False, "a PIN survived the reset"
        assert info.options.get("authnrCfg") is True, "authnrCfg %r" % info.options.get("authnrCfg")
        assert info.options.get("setMinPINLength") is True, "setMinPINLength %r" % info.options.get("setMinPINLength")
        assert info.min_pin_length == 4, "minPINLength %r after reset" % info.min_pin_length
        assert info.force_pin_change is False, "forcePINChange after reset"

    def set_pin(self):
        self.client_pin.set_pin(self.pin)
        assert self.info().options.get("clientPin") is True

    def register(self):
        # What the tools send for Entra: rk, UV required (a PIN token with mc for the RP).
        token = self.client_pin.get_pin_token(self.pin, PERM.MAKE_CREDENTIAL, RP["id"])
        protocol = self.client_pin.protocol
        cdh = os.urandom(32)
        user = {"id": os.urandom(48), "name": "alice@contoso.com", "displayName": "Alice"}
        att = self.ctap2.make_credential(
            cdh, RP, user, ES256_PARAMS, options={"rk": True},
            **pin_uv_auth(protocol, token, cdh),
        )
        Attestation.for_type(att.fmt)().verify(att.att_statement, att.auth_data, cdh)
        assert att.auth_data.flags & UV, "UV not set"
        cd = att.auth_data.credential_data
        self.cred = (cd.credential_id, cd.public_key)

    def acfg_token(self):
        # "if getInfo has setMinPINLength: a pinUvAuthToken with the acfg permission"
        assert self.info().options.get("setMinPINLength") is True
        self.acfg = self.client_pin.get_pin_token(self.pin, PERM.AUTHENTICATOR_CFG)

    def set_min_pin_length_6(self):
        Config(self.ctap2, self.client_pin.protocol, self.acfg).set_min_pin_length(min_pin_length=6)
        info = self.info()
        assert info.min_pin_length == 6, "minPINLength %r" % info.min_pin_length
        assert info.force_pin_change is False, "a 6-digit PIN does not need changing for minimum 6"

    def force_change_pin(self):
        Config(self.ctap2, self.client_pin.protocol, self.acfg).set_min_pin_length(force_change_pin=True)
        assert self.info().force_pin_change is True, "forcePINChange not reported"

    def sign_in_with_old_pin_fails(self):
        # getPinUvAuthTokenUsingPinWithPermissions step 11: CTAP2_ERR_PIN_POLICY_VIOLATION.
        expect_ctap_error(
            PIN_POLICY_VIOLATION, lambda: self.client_pin.get_pin_token(self.pin, PERM.GET_ASSERTION, RP["id"])
        )
        # getPinToken (what a CTAP 2.0 platform sends) step 11: CTAP2_ERR_PIN_INVALID.
        legacy = ClientPin(self.ctap2)
        legacy._supports_permissions = False
        expect_ctap_error(PIN_INVALID, lambda: legacy.get_pin_token(self.pin))
        assert self.info().force_pin_change is True

    def change_pin_to_same_fails(self):
        # changePIN step 13: forcePINChange and the same PIN again: CTAP2_ERR_PIN_POLICY_VIOLATION.
        expect_ctap_error(PIN_POLICY_VIOLATION, lambda: self.client_pin.change_pin(self.pin, self.pin))
        # ... and shorter than the minimum of 6: CTAP2_ERR_PIN_POLICY_VIOLATION.
        expect_ctap_error(PIN_POLICY_VIOLATION, lambda: self.client_pin.change_pin(self.pin, "24680"))

    def change_pin(self):
        self.client_pin.change_pin(self.pin, self.new_pin)
        info = self.info()
        assert info.force_pin_change is False, "forcePINChange still set after changePIN"
        assert info.min_pin_length == 6

    def sign_in(self):
        cred_id, public_key = self.cred
        token = self.client_pin.get_pin_token(self.new_pin, PERM.GET_ASSERTION, RP["id"])
        protocol = self.client_pin.protocol
        cdh = os.urandom(32)
        a = self.ctap2.get_assertion(
            RP["id"], cdh, **pin_uv_auth(protocol, token, cdh),
        )
        a.verify(cdh, public_key)
        assert a.credential["id"] == cred_id, "another credential answered"
        assert a.auth_data.flags & UV, "UV not set"

    # -- more authenticatorConfig ------------------------------------------------

    def config_needs_acfg(self):
        token = self.client_pin.get_pin_token(self.new_pin, PERM.MAKE_CREDENTIAL, RP["id"])
        config = Config(self.ctap2, self.client_pin.protocol, token)
        expect_ctap_error(PIN_AUTH_INVALID, config.toggle_always_uv)
        expect_ctap_error(PUAT_REQUIRED, Config(self.ctap2).toggle_always_uv)
        assert self.info().options.get("alwaysUv") is False

    def min_pin_length_cannot_decrease(self):
        token = self.client_pin.get_pin_token(self.new_pin, PERM.AUTHENTICATOR_CFG)
        config = Config(self.ctap2, self.client_pin.protocol, token)
        expect_ctap_error(PIN_POLICY_VIOLATION, lambda: config.set_min_pin_length(min_pin_length=5))
        info = self.info()
        rp_ids = ["a%d.example" % i for i in range(info.max_rpids_for_min_pin + 1)]
        expect_ctap_error(CtapError.ERR.KEY_STORE_FULL, lambda: config.set_min_pin_length(rp_ids=rp_ids))
        config.set_min_pin_length(rp_ids=rp_ids[:-1])

    def always_uv(self):
        token = self.client_pin.get_pin_token(self.new_pin, PERM.AUTHENTICATOR_CFG)
        config = Config(self.ctap2, self.client_pin.protocol, token)
        config.toggle_always_uv()
        info = self.info()
        assert info.options.get("alwaysUv") is True, "alwaysUv %r" % info.options.get("alwaysUv")
        assert info.options.get("makeCredUvNotRqd") is False, "makeCredUvNotRqd must be false with alwaysUv"
        assert "U2F_V2" not in info.versions, "U2F_V2 still offered with alwaysUv"
        # makeCredential step 6.4: no pinUvAuthParam, a non-discoverable credential: PUAT_REQUIRED.
        expect_ctap_error(
            PUAT_REQUIRED,
            lambda: self.ctap2.make_credential(os.urandom(32), RP, {"id": b"u", "name": "u"}, ES256_PARAMS),
        )
        config.toggle_always_uv()
        assert self.info().options.get("alwaysUv") is False

    def enterprise_attestation(self):
        mc = {1: os.urandom(32), 2: {"id": "example.com"}, 3: {"id": b"u", "name": "u"}, 4: ES256_PARAMS, 0x0A: 2}

        def make(params):
            t = self.client_pin.get_pin_token(self.new_pin, PERM.MAKE_CREDENTIAL, "example.com")
            p = dict(params)
            p[8] = self.client_pin.protocol.authenticate(t, p[1])
            p[9] = self.client_pin.protocol.VERSION
            return self.ctap2.send_cbor(Ctap2.CMD.MAKE_CREDENTIAL, p)

        expect_ctap_error(INVALID_PARAMETER, lambda: make(mc))  # not enabled yet
        # A new token replaces the previous one, so the acfg token is fetched just before use.
        token = self.client_pin.get_pin_token(self.new_pin, PERM.AUTHENTICATOR_CFG)
        Config(self.ctap2, self.client_pin.protocol, token)._call(Config.CMD.ENABLE_ENTERPRISE_ATT)
        assert self.info().options.get("ep") is True
        raw = make(mc)
        assert raw[4] is True, "epAtt %r" % raw.get(4)
        assert raw[1] == "packed"


def main(argv=None):
    p = argument_parser(__doc__)
    args = p.parse_args(argv)

    t = ConfigUdpTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("1.4 authenticatorReset", t.reset, ["init"]),
            ("1.4 setPIN with a random 6-digit PIN", t.set_pin, ["1.4 authenticatorReset"]),
            ("1.4 makeCredential (rk, UV)", t.register, ["1.4 setPIN with a random 6-digit PIN"]),
            ("1.4 pinUvAuthToken with acfg", t.acfg_token, ["1.4 setPIN with a random 6-digit PIN"]),
            ("1.4 setMinPINLength newMinPINLength 6", t.set_min_pin_length_6, ["1.4 pinUvAuthToken with acfg"]),
            ("1.4 setMinPINLength forceChangePin", t.force_change_pin, ["1.4 setMinPINLength newMinPINLength 6"]),
            ("sign-in with the provisioned PIN fails", t.sign_in_with_old_pin_fails, ["1.4 setMinPINLength forceChangePin"]),
            ("changePIN to the same or a short PIN fails", t.change_pin_to_same_fails, ["1.4 setMinPINLength forceChangePin"]),
            ("changePIN", t.change_pin, ["changePIN to the same or a short PIN fails"]),
            ("sign-in with the new PIN", t.sign_in, ["changePIN", "1.4 makeCredential (rk, UV)"]),
            ("config without acfg", t.config_needs_acfg, ["changePIN"]),
            ("setMinPINLength errors", t.min_pin_length_cannot_decrease, ["changePIN"]),
            ("toggleAlwaysUv", t.always_uv, ["changePIN"]),
            ("enableEnterpriseAttestation and epAtt", t.enterprise_attestation, ["changePIN"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
