#!/usr/bin/python3
"""Bio enrollment and built-in UV of a running softkey on UDP with python-fido2 0.9.1.

Start a fresh device of the bio profile without enrolled fingerprints first
(the test class dev.softkey.usb.PythonFido2BioUdpTest does), then:

    /usr/bin/python3 test_softkey_bio_udp.py --device-port 8111 --host-port 7112

Use Debian 12's python3-fido2 (0.9.1) through /usr/bin/python3. The finger on
the emulated sensor must be an enrolled one with good samples (presence
approve). Each check prints PASS or FAIL; the last line is "N passed, N
failed"; the exit code is 0 when all passed, 1 otherwise.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2 import cbor  # noqa: E402
from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import AuthenticatorData, ClientPin, Ctap2  # noqa: E402
from fido2.ctap2.bio import BioEnrollment, FPBioEnrollment  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP = {"id": "bio.example.com", "name": "Bio Example"}
UV = AuthenticatorData.FLAG.USER_VERIFIED
MAX_TEMPLATE_FRIENDLY_NAME = 0x08
FINGERPRINT_KIND_TOUCH = 1
UV_MODALITY_FINGERPRINT_INTERNAL = 0x02


class SoftkeyBioTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.client_pin = None
        self.bio = None
        self.template_id = None

    def init(self):
        self.open()
        self.ctap2 = Ctap2(self.dev)

    def get_info(self):
        info = self.ctap2.get_info()
        assert "FIDO_2_1" in info.versions and "FIDO_2_1_PRE" in info.versions, info.versions
        o = info.options
        # Supported but not configured: no fingerprint enrolled yet.
        assert o.get("bioEnroll") is False, "bioEnroll %r" % o.get("bioEnroll")
        assert o.get("userVerificationMgmtPreview") is False, o.get("userVerificationMgmtPreview")
        assert o.get("uv") is False, "uv %r" % o.get("uv")
        assert o.get("uvBioEnroll") is True, "uvBioEnroll %r" % o.get("uvBioEnroll")
        assert info.uv_modality == UV_MODALITY_FINGERPRINT_INTERNAL, "uvModality %r" % info.uv_modality
        raw = cbor.decode(info)
        assert raw.get(0x11) == 1, "preferredPlatformUvAttempts %r" % raw.get(0x11)

    def uv_token_before_enrollment(self):
        self.client_pin = ClientPin(self.ctap2)
        expect_ctap_error(
            CtapError.ERR.NOT_ALLOWED,
            lambda: self.client_pin.get_uv_token(ClientPin.PERMISSION.GET_ASSERTION, RP["id"]),
        )

    def be_token(self):
        self.client_pin.set_pin(self.args.pin)
        token = self.client_pin.get_pin_token(self.args.pin, ClientPin.PERMISSION.BIO_ENROLL)
        self.bio = FPBioEnrollment(self.ctap2, self.client_pin.protocol, token)
        assert self.bio.modality == BioEnrollment.MODALITY.FINGERPRINT, self.bio.modality

    def sensor_info(self):
        info = self.bio.get_fingerprint_sensor_info()
        assert info[BioEnrollment.RESULT.MODALITY] == BioEnrollment.MODALITY.FINGERPRINT, info
        assert info[BioEnrollment.RESULT.FINGERPRINT_KIND] == FINGERPRINT_KIND_TOUCH, info
        assert info[BioEnrollment.RESULT.MAX_SAMPLES_REQUIRED] == self.args.samples, info
        assert info[MAX_TEMPLATE_FRIENDLY_NAME] == self.args.max_name, info

    def enumerate_empty(self):
        # No enrollment: CTAP2_ERR_INVALID_OPTION, which python-fido2 turns into {}.
        assert self.bio.enumerate_enrollments() == {}

    def enroll(self):
        context = self.bio.enroll(timeout=5000)
        remaining = []
        template_id = None
        for _ in range(self.args.samples + 2):
            template_id = context.capture()
            remaining.append(context.remaining)
            if template_id is not None:
                break
        expected = list(range(self.args.samples - 1, -1, -1))
        assert remaining == expected, "remainingSamples %r, expected %r" % (remaining, expected)
        assert template_id == context.template_id and len(template_id) >= 1, template_id
        self.template_id = template_id
        o = self.ctap2.get_info().options
        assert o.get("bioEnroll") is True, "bioEnroll %r after enrolling" % o.get("bioEnroll")
        assert o.get("uv") is True, "uv %r after enrolling" % o.get("uv")

    def enumerate(self):
        enrollments = self.bio.enumerate_enrollments()
        assert enrollments == {self.template_id: ""}, enrollments

    def rename(self):
        self.bio.set_name(self.template_id, "right index")
        assert self.bio.enumerate_enrollments() == {self.template_id: "right index"}
        expect_ctap_error(
            CtapError.ERR.INVALID_LENGTH,
            lambda: self.bio.set_name(self.template_id, "x" * (self.args.max_name + 1)),
        )
        expect_ctap_error(CtapError.ERR.INVALID_OPTION, lambda: self.bio.set_name(b"\xfe", "none"))

    def cancel(self):
        template_id, status, remaining = self.bio.enroll_begin(5000)
        assert status == FPBioEnrollment.FEEDBACK.FP_GOOD, status
        assert remaining == self.args.samples - 1, remaining
        assert template_id != self.template_id, "a second template got the first one's ID"
        self.bio.enroll_cancel()
        expect_ctap_error(CtapError.ERR.NOT_ALLOWED, lambda: self.bio.enroll_capture_next(template_id, 5000))
        assert list(self.bio.enumerate_enrollments()) == [self.template_id]

    def uv_token(self):
        # Built-in UV with the enrolled finger: getPinUvAuthTokenUsingUvWithPermissions (0x06).
        permissions = ClientPin.PERMISSION.MAKE_CREDENTIAL | ClientPin.PERMISSION.GET_ASSERTION
        token = self.client_pin.get_uv_token(permissions, RP["id"])
        assert len(token) == 32, "token of %d bytes" % len(token)
        protocol = self.client_pin.protocol
        cdh = os.urandom(32)
        att = self.ctap2.make_credential(
            cdh,
            RP,
            {"id": b"bio-user", "name": "dora"},
            ES256_PARAMS,
            **pin_uv_auth(protocol, token, cdh),
        )
        assert att.auth_data.flags & UV, "UV flag not set: flags 0x%02x" % att.auth_data.flags
        # python-fido2 0.9.1 returns (uvRetries, powerCycleState) from get_uv_retries.
        retries = self.client_pin.get_uv_retries()
        retries = retries[0] if isinstance(retries, tuple) else retries
        assert retries == 8, "uvRetries %r" % (retries,)

    def uv_token_with_be(self):
        # uvBioEnroll: the be permission from built-in UV.
        token = self.client_pin.get_uv_token(ClientPin.PERMISSION.BIO_ENROLL)
        bio = FPBioEnrollment(self.ctap2, self.client_pin.protocol, token)
        assert list(bio.enumerate_enrollments()) == [self.template_id]

    def remove(self):
        token = self.client_pin.get_pin_token(self.args.pin, ClientPin.PERMISSION.BIO_ENROLL)
        bio = FPBioEnrollment(self.ctap2, self.client_pin.protocol, token)
        bio.remove_enrollment(self.template_id)
        assert bio.enumerate_enrollments() == {}
        expect_ctap_error(CtapError.ERR.INVALID_OPTION, lambda: bio.remove_enrollment(self.template_id))
        o = self.ctap2.get_info().options
        assert o.get("uv") is False and o.get("bioEnroll") is False, o
        expect_ctap_error(
            CtapError.ERR.NOT_ALLOWED,
            lambda: self.client_pin.get_uv_token(ClientPin.PERMISSION.GET_ASSERTION, RP["id"]),
        )


def main(argv=None):
    p = argument_parser(__doc__, pin=True)
    p.add_argument("--samples", type=int, default=4, help="the sensor's maxCaptureSamplesRequiredForEnroll")
    p.add_argument("--max-name", type=int, default=15, help="the sensor's maxTemplateFriendlyName")
    args = p.parse_args(argv)

    t = SoftkeyBioTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("getInfo before enrollment", t.get_info, ["init"]),
            ("UV token before enrollment", t.uv_token_before_enrollment, ["init"]),
            ("be token", t.be_token, ["UV token before enrollment"]),
            ("getFingerprintSensorInfo", t.sensor_info, ["be token"]),
            ("enumerateEnrollments (none)", t.enumerate_empty, ["be token"]),
            ("enroll", t.enroll, ["be token"]),
            ("enumerateEnrollments", t.enumerate, ["enroll"]),
            ("setFriendlyName", t.rename, ["enroll"]),
            ("cancelCurrentEnrollment", t.cancel, ["enroll"]),
            ("UV token (built-in UV)", t.uv_token, ["enroll"]),
            ("UV token with be", t.uv_token_with_be, ["enroll"]),
            ("removeEnrollment", t.remove, ["enroll"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
