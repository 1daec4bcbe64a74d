#!/usr/bin/python3
"""The checks test suites written for the Solo 1 simulator make, against softkey on UDP.

Start the device with the solo-1 profile first (e.g. `softkey --profile solo-1
serve --transport udp`, or the test class dev.softkey.usb.UdpServeMain), then:

    /usr/bin/python3 test_solo_simulator_udp.py --device-port 8111 --host-port 7112

Those suites cannot run here unchanged: solokeys/fido2-tests (today
trussed-dev/fido2-tests, tests/conftest.py) and solokeys/solo1
tools/testing/main.py need pytest, solo-python's force_udp_backend() and the
python-fido2 0.7/0.8 API (dev._dev.InternalSendPacket, PinProtocolV1 on
Fido2Client.pin_protocol), none of which python-fido2 0.9.1 here has. This
script is a port of their simulator-dependent checks to python-fido2 0.9.1 and
udp_device.py (the same transport as force_udp_backend: 64-byte reports as
datagrams to 127.0.0.1:8111, answers on 7112, and the magic reboot datagram of
TestDevice.send_magic_reboot). Each check names the test it reproduces; the
assertions are theirs. Where a check departs from them, it says why.

Each check prints PASS or FAIL; the last line is "N passed, N failed"; the exit
code is 0 when all passed.
"""

import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fido2.ctap import CtapError  # noqa: E402
from fido2.ctap1 import Ctap1  # noqa: E402
from fido2.ctap2 import ClientPin, Ctap2, CredentialManagement  # noqa: E402
from fido2.ctap2.pin import PinProtocolV1  # noqa: E402
from fido2.hid import CTAPHID  # noqa: E402
from fido2.utils import hmac_sha256, sha256  # noqa: E402

from softkey_checks import ES256_PARAMS, UdpDeviceTests, argument_parser, run_checks  # noqa: E402

PIN = "123456"  # fido2-tests tests/vendor/solo/test_credmgmt.py PinToken fixture
ERROR = 0xBF  # CTAPHID_ERROR with the init bit
ICON = "https://example.com/alice.png"
R = CredentialManagement.RESULT


class SoloSimulatorTests(UdpDeviceTests):
    def __init__(self, args):
        super().__init__(args)
        self.token = None

    def init(self):
        self.open()
        self.ctap2 = Ctap2(self.dev)

    # --- raw packets, as fido2-tests TestDevice.send_raw / recv_raw -----------------

    def send_raw(self, cid, data):
        packet = cid + data
        self.connection.write_packet(packet + b"\0" * (64 - len(packet)))

    def recv_raw(self):
        """One whole message: the init packet and its continuation packets (cid, cmd, payload)."""
        r = self.connection.read_packet()
        cid, cmd, length = r[:4], r[4], (r[5] << 8) | r[6]
        data = r[7:]
        while len(data) < length:
            c = self.connection.read_packet()
            assert c[:4] == cid and c[4] < 0x80, "continuation expected, got %r" % c[:5]
            data += c[5:]
        return cid, cmd, data[:length]

    # --- tests/standard/transport/test_hid.py -----------------------------------------

    def cid_0(self):
        """test_cid_0: INIT on CID 0 => ERROR INVALID_CHANNEL."""
        self.send_raw(b"\0\0\0\0", b"\x86\x00\x08\x11\x22\x33\x44\x55\x66\x77\x88")
        cid, cmd, r = self.recv_raw()
        assert cmd == ERROR and r[0] == CtapError.ERR.INVALID_CHANNEL, (cmd, r)

    def cid_ffffffff(self):
        """test_cid_ffffffff: PING on the broadcast CID => ERROR INVALID_CHANNEL."""
        self.send_raw(b"\xff\xff\xff\xff", b"\x81\x00\x08\x11\x22\x33\x44\x55\x66\x77\x88")
        cid, cmd, r = self.recv_raw()
        assert cmd == ERROR and r[0] == CtapError.ERR.INVALID_CHANNEL, (cmd, r)

    def made_up_cid_without_init(self):
        """test_cid_0 ends with set_cid(05040302): later tests use that CID, never INIT'ed.

        A CBOR getInfo on it is answered on it (solo1 fido2/ctaphid.c: add_cid on first use).
        """
        cid = b"\x05\x04\x03\x02"
        self.send_raw(cid, b"\x90\x00\x01\x04")
        rcid, cmd, r = self.recv_raw()
        while cmd == 0xBB:  # keepalive
            rcid, cmd, r = self.recv_raw()
        assert rcid == cid and cmd == 0x90 and r[0] == 0, (rcid, cmd, r[:1])

    def init_on_made_up_cid(self):
        """test_check_busy_interleaved: set_cid(cid2) then INIT on cid2 resynchronizes cid2."""
        cid = b"\x01\x22\x33\x44"
        nonce = b"\x11\x22\x33\x44\x55\x66\x77\x88"
        self.send_raw(cid, b"\x86\x00\x08" + nonce)
        rcid, cmd, r = self.recv_raw()
        assert rcid == cid and cmd == 0x86, (rcid, cmd)
        assert r[:8] == nonce and r[8:12] == cid, r

    def ping_wink(self):
        """test_ping and test_wink on the channel python-fido2 allocated."""
        data = os.urandom(100)
        assert self.dev.call(CTAPHID.PING, data) == data
        self.dev.call(CTAPHID.WINK)

    # --- tests/vendor/solo/test_credmgmt.py --------------------------------------------

    def get_info(self):
        """TestCredentialManagement.test_get_info."""
        info = self.ctap2.get_info()
        assert "credMgmt" in info.options and info.options["credMgmt"] is True, info.options
        assert info.max_creds_in_list > 1 and info.max_cred_id_length > 1, info

    # --- tests/standard/u2f/test_u2f.py: CTAPHID_MSG ------------------------------------

    def u2f(self):
        """test_u2f register and authenticate over CTAPHID_MSG."""
        ctap1 = Ctap1(self.dev)
        assert ctap1.get_version() == "U2F_V2"
        chal, app = sha256(b"challenge"), sha256(b"https://examplo.org")
        reg = ctap1.register(chal, app)
        reg.verify(app, chal)
        auth = ctap1.authenticate(chal, app, reg.key_handle)
        auth.verify(app, chal, reg.public_key)

    # --- conftest.py reboot, the PinToken fixture, reset at any time -------------------

    def reboot_reset_set_pin(self):
        """PinToken fixture: device.reboot() (the magic datagram), device.reset(), set_pin, get_pin_token."""
        self.connection.send_reboot()
        time.sleep(0.25)  # TestDevice.delay(0.25)
        self.connect()
        self.ctap2 = Ctap2(self.dev)
        self.ctap2.reset()
        pin = ClientPin(self.ctap2, PinProtocolV1())
        pin.set_pin(PIN)
        self.token = pin.get_pin_token(PIN)
        assert self.ctap2.get_info().options["clientPin"] is True

    def reset_long_after_power_up(self):
        """TestDevice.reset() calls ctap2.reset() whenever a test needs it, not only after a reboot.

        The Solo accepts it at any time (solo1 fido2/ctap.c CTAP_RESET); a CTAP 2.1 key without a
        display refuses it 10 s after power-up. Waits --reset-delay seconds after the last reboot.
        """
        time.sleep(self.args.reset_delay)
        self.ctap2.reset()
        pin = ClientPin(self.ctap2, PinProtocolV1())
        pin.set_pin(PIN)
        self.token = pin.get_pin_token(PIN)

    def make_rks(self):
        """MC_RK_Res fixture: two discoverable credentials with pinAuth, rp ssh: and xakcop.com; one icon."""
        for rp, uid in (({"id": "ssh:", "name": "Bate Goiko"}, b"\x01"), ({"id": "xakcop.com", "name": "John Doe"}, b"\x02")):
            cdh = sha256(os.urandom(32))
            user = {"id": uid, "name": "alice", "displayName": "Alice", "icon": ICON}
            self.ctap2.make_credential(
                cdh, rp, user, ES256_PARAMS, options={"rk": True},
                pin_uv_param=hmac_sha256(self.token, cdh)[:16], pin_uv_protocol=1,
            )

    def credman(self):
        return CredentialManagement(self.ctap2, PinProtocolV1(), self.token)

    def get_metadata(self):
        """test_get_metadata: 2 existing, 48 remaining (the firmware's RK_NUM 50)."""
        m = self.credman().get_metadata()
        assert m[R.EXISTING_CRED_COUNT] == 2 and m[R.MAX_REMAINING_COUNT] == 48, m

    def enumerate_rps(self):
        """test_enumerate_rps, without its order.

        The test expects res[0] to be ssh:, the Solo's slot order (oldest first, fido2/ctap.c
        scan_for_next_rp); softkey enumerates newest first, and CTAP 2.1 section 6.8.3 names no
        order. The RP IDs and their hashes are checked as the test checks them.
        """
        res = self.credman().enumerate_rps()
        assert len(res) == 2, res
        by_id = {r[R.RP]["id"]: r for r in res}
        assert set(by_id) == {"ssh:", "xakcop.com"}, res
        for rp_id, r in by_id.items():
            assert r[R.RP_ID_HASH] == sha256(rp_id.encode()), r

    def enumerate_creds(self):
        """test_enumarate_creds (sic), plus the icon the Solo keeps (ctap_add_user_entity)."""
        cm = self.credman()
        for rp in (b"ssh:", b"xakcop.com"):
            res = cm.enumerate_creds(sha256(rp))
            assert len(res) == 1, res
            for i in (R.USER, R.CREDENTIAL_ID, R.PUBLIC_KEY, R.TOTAL_CREDENTIALS, R.CRED_PROTECT):
                assert i in res[0], (i, res[0])
            assert res[0][R.USER].get("icon") == ICON, res[0][R.USER]
        assert not cm.enumerate_creds(sha256(b"missing.com"))

    def metadata_on_0x41(self):
        """The same getCredsMetadata on the preview command 0x41, which the firmware also answers."""
        proto = PinProtocolV1()
        msg = struct.pack(">B", CredentialManagement.CMD.GET_CREDS_METADATA)
        r = self.ctap2.send_cbor(0x41, {1: CredentialManagement.CMD.GET_CREDS_METADATA, 3: 1, 4: proto.authenticate(self.token, msg)})
        assert r[1] == 2 and r[2] == 48, r

    def delete(self):
        """test_delete: a deleted credential no longer signs (NO_CREDENTIALS)."""
        rp = {"id": "example_3.com", "name": "John Doe 2"}
        cdh = sha256(os.urandom(32))
        reg = self.ctap2.make_credential(
            cdh, rp, {"id": b"\x03", "name": "carol"}, ES256_PARAMS, options={"rk": True},
            pin_uv_param=hmac_sha256(self.token, cdh)[:16], pin_uv_protocol=1,
        )
        self.ctap2.get_assertion(rp["id"], sha256(b"x"))
        cid = reg.auth_data.credential_data.credential_id
        self.credman().delete_cred({"id": cid, "type": "public-key"})
        try:
            self.ctap2.get_assertion(rp["id"], sha256(b"y"))
        except CtapError as e:
            assert e.code == CtapError.ERR.NO_CREDENTIALS, e
        else:
            raise AssertionError("the deleted credential still signs")


def main():
    p = argument_parser(__doc__)
    p.add_argument("--reset-delay", type=float, default=11.0, help="seconds after power-up before the late reset")
    args = p.parse_args()
    t = SoloSimulatorTests(args)
    return run_checks(
        t,
        [
            ("init", t.init),
            ("hid cid 0", t.cid_0, ["init"]),
            ("hid cid ffffffff", t.cid_ffffffff, ["init"]),
            ("made-up cid without init", t.made_up_cid_without_init, ["init"]),
            ("init on a made-up cid", t.init_on_made_up_cid, ["init"]),
            ("ping and wink", t.ping_wink, ["init"]),
            ("getInfo credMgmt", t.get_info, ["init"]),
            ("u2f over msg", t.u2f, ["init"]),
            ("reboot, reset, set pin", t.reboot_reset_set_pin, ["init"]),
            ("reset long after power-up", t.reset_long_after_power_up, ["reboot, reset, set pin"]),
            ("resident credentials", t.make_rks, ["reset long after power-up"]),
            ("credman metadata", t.get_metadata, ["resident credentials"]),
            ("credman enumerate rps", t.enumerate_rps, ["resident credentials"]),
            ("credman enumerate creds with icon", t.enumerate_creds, ["resident credentials"]),
            ("credman metadata on 0x41", t.metadata_on_0x41, ["resident credentials"]),
            ("credman delete", t.delete, ["resident credentials"]),
        ],
    )


if __name__ == "__main__":
    sys.exit(main())
