#!/usr/bin/python3
"""authenticatorCredentialManagement of a running softkey on UDP, with python-fido2 0.9.1.

Start the device first (e.g. `softkey serve --transport udp`, or the test
class dev.softkey.usb.UdpServeMain), then:

    /usr/bin/python3 test_softkey_credman_udp.py --device-port 8111 --host-port 7112 \
        --expect-command 0x0a --max-rk 100

The device must be fresh (no PIN, no credentials). python-fido2 picks command
0x0A when getInfo reports credMgmt and the prototype 0x41 when it reports only
credentialMgmtPreview; --expect-command says which it must have used. On a key
without the pinUvAuthToken option python-fido2 signs with the getPinToken
(0x05) token, as for a FIDO_2_1_PRE YubiKey 5. Each check prints PASS or FAIL;
the last line is "N passed, N failed"; the exit code is 0 when all passed.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement  # noqa: E402
from fido2.utils import sha256  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402
from softkey_checks import expect_ctap_error, pin_uv_auth  # noqa: E402

RP_A = {"id": "a.example.com", "name": "RP A"}
RP_B = {"id": "b.example.com", "name": "RP B"}
CM_COMMANDS = (0x0A, 0x41)
R = CredentialManagement.RESULT


class CredmanUdpTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.ctap2 = None
        self.client_pin = None
        self.sent = []
        self.creds = {}  # user name -> (credential ID, public key, user id, rp)

    def init(self):
        self.open()
        self.ctap2 = Ctap2(self.dev)
        send = self.ctap2.send_cbor

        def recording(cmd, *a, **kw):
            self.sent.append(cmd)
            return send(cmd, *a, **kw)

        self.ctap2.send_cbor = recording

    def get_info(self):
        options = self.ctap2.info.options
        expected = self.args.expect_command
        if expected == 0x0A:
            assert options.get("credMgmt") is True, "credMgmt missing from %r" % options
        else:
            assert "credMgmt" not in options, "credMgmt reported by a prototype-only key: %r" % options
            assert options.get("credentialMgmtPreview") is True, "credentialMgmtPreview missing from %r" % options

    def set_pin(self):
        self.client_pin = ClientPin(self.ctap2)
        self.client_pin.set_pin(self.args.pin)

    def _token(self, permissions, rp_id=None):
        return self.client_pin.get_pin_token(self.args.pin, permissions, rp_id)

    def _manager(self, token=None):
        if token is None:
            token = self._token(ClientPin.PERMISSION.CREDENTIAL_MGMT)
        return CredentialManagement(self.ctap2, self.client_pin.protocol, token)

    def _make(self, rp, user_id, name):
        token = self._token(ClientPin.PERMISSION.MAKE_CREDENTIAL, rp["id"])
        cdh = os.urandom(32)
        protocol = self.client_pin.protocol
        att = self.ctap2.make_credential(
            cdh,
            rp,
            {"id": user_id, "name": name, "displayName": name.title()},
            ES256_PARAMS,
            options={"rk": True},
            **pin_uv_auth(protocol, token, cdh),
        )
        cd = att.auth_data.credential_data
        self.creds[name] = (cd.credential_id, cd.public_key, user_id, rp)

    def make_credentials(self):
        self._make(RP_A, b"user-alice", "alice")
        self._make(RP_A, b"user-bob", "bob")
        self._make(RP_B, b"user-carol", "carol")

    def metadata(self):
        m = self._manager().get_metadata()
        assert m[R.EXISTING_CRED_COUNT] == 3, "existing %r" % m
        assert m[R.MAX_REMAINING_COUNT] == self.args.max_rk - 3, "remaining %r" % m
        self._check_command()

    def _check_command(self):
        used = set(c for c in self.sent if c in CM_COMMANDS)
        assert used == {self.args.expect_command}, "credential management sent as %r" % sorted(used)

    def enumerate_rps(self):
        rps = self._manager().enumerate_rps()
        assert len(rps) == 2, "RPs %r" % rps
        assert rps[0][R.TOTAL_RPS] == 2, "totalRPs %r" % rps[0]
        ids = sorted(r[R.RP]["id"] for r in rps)
        assert ids == [RP_A["id"], RP_B["id"]], "RP IDs %r" % ids
        for r in rps:
            assert r[R.RP_ID_HASH] == sha256(r[R.RP]["id"].encode()), "rpIDHash of %r" % r[R.RP]
            expected_name = RP_A["name"] if r[R.RP]["id"] == RP_A["id"] else RP_B["name"]
            assert r[R.RP].get("name") == expected_name, "RP name %r" % r[R.RP]

    def enumerate_credentials(self):
        creds = self._manager().enumerate_creds(sha256(RP_A["id"].encode()))
        assert len(creds) == 2, "credentials %r" % creds
        assert creds[0][R.TOTAL_CREDENTIALS] == 2, "totalCredentials %r" % creds[0]
        by_name = dict((c[R.USER]["name"], c) for c in creds)
        assert sorted(by_name) == ["alice", "bob"], "users %r" % sorted(by_name)
        for name, c in by_name.items():
            cred_id, public_key, user_id, _ = self.creds[name]
            assert c[R.CREDENTIAL_ID]["id"] == cred_id, "credential ID of %s" % name
            assert c[R.USER]["id"] == user_id, "user id of %s" % name
            assert c[R.USER]["displayName"] == name.title(), "displayName of %s" % name
            assert dict(c[R.PUBLIC_KEY]) == dict(public_key), "public key of %s" % name
            assert c[R.CRED_PROTECT] == 1, "credProtect of %s: %r" % (name, c.get(R.CRED_PROTECT))
            assert R.LARGE_BLOB_KEY not in c, "largeBlobKey without largeBlobs"

    def get_next_without_begin(self):
        cm = self._manager()
        expect_ctap_error(CtapError.ERR.NOT_ALLOWED, cm.enumerate_rps_next)
        expect_ctap_error(CtapError.ERR.NOT_ALLOWED, cm.enumerate_creds_next)

    def get_next_after_another_command(self):
        cm = self._manager()
        first = cm.enumerate_creds_begin(sha256(RP_A["id"].encode()))
        assert first[R.TOTAL_CREDENTIALS] == 2
        self.ctap2.get_info()  # any other command ends the enumeration
        expect_ctap_error(CtapError.ERR.NOT_ALLOWED, cm.enumerate_creds_next)

    def token_without_cm(self):
        if not self.ctap2.info.options.get("pinUvAuthToken"):
            # A prototype key signs with the getPinToken token, which has no permissions to check.
            return
        token = self._token(ClientPin.PERMISSION.GET_ASSERTION, RP_A["id"])
        expect_ctap_error(CtapError.ERR.PIN_AUTH_INVALID, self._manager(token).get_metadata)

    def token_for_another_rp(self):
        if not self.ctap2.info.options.get("pinUvAuthToken"):
            return
        cm = self._manager(self._token(ClientPin.PERMISSION.CREDENTIAL_MGMT, RP_B["id"]))
        expect_ctap_error(CtapError.ERR.PIN_AUTH_INVALID, cm.get_metadata)
        expect_ctap_error(CtapError.ERR.PIN_AUTH_INVALID, cm.enumerate_rps_begin)
        expect_ctap_error(
            CtapError.ERR.PIN_AUTH_INVALID, lambda: cm.enumerate_creds_begin(sha256(RP_A["id"].encode()))
        )
        alice = {"type": "public-key", "id": self.creds["alice"][0]}
        expect_ctap_error(CtapError.ERR.PIN_AUTH_INVALID, lambda: cm.delete_cred(alice))
        # Its own RP's credentials it may enumerate.
        creds = cm.enumerate_creds(sha256(RP_B["id"].encode()))
        assert [c[R.USER]["name"] for c in creds] == ["carol"], "RP B credentials %r" % creds

    def update_user(self):
        cm = self._manager()
        alice_id, _, user_id, _ = self.creds["alice"]
        cred = {"type": "public-key", "id": alice_id}
        user = {"id": user_id, "name": "alice.renamed", "displayName": "Alice Renamed"}
        if self.args.expect_command == 0x41 and "FIDO_2_1" not in self.ctap2.info.versions:
            # The prototype's subcommands are 0x01 to 0x06.
            expect_ctap_error(CtapError.ERR.INVALID_SUBCOMMAND, lambda: cm.update_user_info(cred, user))
            return
        expect_ctap_error(
            CtapError.ERR.INVALID_PARAMETER,
            lambda: cm.update_user_info(cred, {"id": b"someone-else", "name": "x"}),
        )
        cm.update_user_info(cred, user)
        creds = cm.enumerate_creds(sha256(RP_A["id"].encode()))
        names = sorted((c[R.USER].get("name"), c[R.USER].get("displayName")) for c in creds)
        assert names == [("alice.renamed", "Alice Renamed"), ("bob", "Bob")], "after update %r" % names

    def delete(self):
        cm = self._manager()
        remaining_before = self.ctap2.get_info().remaining_disc_creds
        bob = {"type": "public-key", "id": self.creds["bob"][0]}
        cm.delete_cred(bob)
        m = cm.get_metadata()
        assert m[R.EXISTING_CRED_COUNT] == 2, "existing after delete %r" % m
        assert m[R.MAX_REMAINING_COUNT] == self.args.max_rk - 2, "remaining after delete %r" % m
        creds = cm.enumerate_creds(sha256(RP_A["id"].encode()))
        assert [c[R.CREDENTIAL_ID]["id"] for c in creds] == [self.creds["alice"][0]], "RP A after delete"
        if remaining_before is not None:
            assert self.ctap2.get_info().remaining_disc_creds == remaining_before + 1, "getInfo remaining"
        expect_ctap_error(CtapError.ERR.NO_CREDENTIALS, lambda: cm.delete_cred(bob))

    def delete_all(self):
        cm = self._manager()
        for name in ("alice", "carol"):
            cm.delete_cred({"type": "public-key", "id": self.creds[name][0]})
        expect_ctap_error(CtapError.ERR.NO_CREDENTIALS, cm.enumerate_rps_begin)
        assert cm.enumerate_creds(sha256(RP_A["id"].encode())) == [], "credentials left"
        m = cm.get_metadata()
        assert m[R.EXISTING_CRED_COUNT] == 0 and m[R.MAX_REMAINING_COUNT] == self.args.max_rk, "metadata %r" % m
        self._check_command()


def main(argv=None):
    p = argument_parser(__doc__, pin=True)
    p.add_argument("--expect-command", type=lambda s: int(s, 0), required=True, help="0x0a or 0x41")
    p.add_argument("--max-rk", type=int, required=True, help="the profile's maxResidentCredentials")
    args = p.parse_args(argv)

    t = CredmanUdpTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("getInfo credential management option", t.get_info, ["init"]),
            ("clientPin setPIN", t.set_pin, ["init"]),
            ("makeCredential rk x3", t.make_credentials, ["clientPin setPIN"]),
            ("getCredsMetadata", t.metadata, ["makeCredential rk x3"]),
            ("enumerateRPs", t.enumerate_rps, ["makeCredential rk x3"]),
            ("enumerateCredentials", t.enumerate_credentials, ["makeCredential rk x3"]),
            ("GetNext without Begin", t.get_next_without_begin, ["makeCredential rk x3"]),
            ("GetNext after another command", t.get_next_after_another_command, ["makeCredential rk x3"]),
            ("token without cm", t.token_without_cm, ["makeCredential rk x3"]),
            ("token for another rpId", t.token_for_another_rp, ["makeCredential rk x3"]),
            ("updateUserInformation", t.update_user, ["enumerateCredentials"]),
            ("deleteCredential", t.delete, ["enumerateCredentials"]),
            ("delete all", t.delete_all, ["deleteCredential"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
