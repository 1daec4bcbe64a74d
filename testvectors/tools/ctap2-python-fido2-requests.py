#!/usr/bin/python3
"""Writes ctap2/python-fido2-requests.tsv: the request messages python-fido2's CredentialManagement,
FPBioEnrollment, LargeBlobs and Config classes send, captured at the CTAPHID_CBOR boundary of a mock
device (command byte, then CBOR). Each pinUvAuthParam is python-fido2's own, over the token below.

Run with the python-fido2 of Debian's python3-fido2 package:
  /usr/bin/python3 testvectors/tools/ctap2-python-fido2-requests.py \
      > testvectors/src/main/resources/dev/softkey/testvectors/ctap2/python-fido2-requests.tsv
"""
import hashlib

import fido2
from fido2 import cbor
from fido2.ctap2 import Ctap2
from fido2.ctap2.bio import FPBioEnrollment
from fido2.ctap2.blob import LargeBlobs
from fido2.ctap2.config import Config
from fido2.ctap2.credman import CredentialManagement
from fido2.ctap2.pin import PinProtocolV1, PinProtocolV2

TOKEN = bytes(range(32))
CRED_ID = bytes.fromhex("a1" * 16)
RP_ID_HASH = hashlib.sha256(b"example.com").digest()
TEMPLATE_ID = bytes.fromhex("6896")
LARGE_BLOB_KEY = bytes(range(0x20, 0x40))
BLOB_NONCE = bytes(range(0x40, 0x4C))
BLOB_DATA = b"softkey large blob"


def info(options):
    return {
        1: ["FIDO_2_0", "FIDO_2_1_PRE", "FIDO_2_1"],
        3: bytes(16),
        4: options,
        5: 1200,
        6: [2, 1],
    }


class Device:
    capabilities = 0x04  # CBOR

    def __init__(self, options):
        self.info = info(options)
        self.replies = []
        self.sent = []

    def call(self, cmd, data=b"", event=None, on_keepalive=None):
        if data[0] == 0x04:
            return b"\0" + cbor.encode(self.info)
        self.sent.append(data)
        reply = self.replies.pop(0) if self.replies else None
        return b"\0" + (cbor.encode(reply) if reply is not None else b"")


rows = []


def capture(name, device, what, call, note):
    before = len(device.sent)
    call()
    for i, msg in enumerate(device.sent[before:]):
        suffix = "" if len(device.sent) - before == 1 else "-%d" % (i + 1)
        rows.append((name + suffix, what, msg.hex(), note))


full = {"credMgmt": True, "bioEnroll": True, "largeBlobs": True, "authnrCfg": True, "clientPin": True}

# Credential management, command 0x0A
for proto in (PinProtocolV1(), PinProtocolV2()):
    dev = Device(full)
    cm = CredentialManagement(Ctap2(dev), proto, TOKEN)
    v = "v%d" % proto.VERSION
    dev.replies = [{1: 0, 2: 25}]
    capture("credman-get-creds-metadata-" + v, dev, "CredentialManagement.get_metadata()", cm.get_metadata, "pinUvAuthProtocol %d" % proto.VERSION)
    dev.replies = [{3: {"id": "example.com"}, 4: RP_ID_HASH, 5: 1}]
    capture("credman-enumerate-rps-begin-" + v, dev, "CredentialManagement.enumerate_rps_begin()", cm.enumerate_rps_begin, "pinUvAuthProtocol %d" % proto.VERSION)
    dev.replies = [{9: 1}]
    capture("credman-enumerate-credentials-begin-" + v, dev, "CredentialManagement.enumerate_creds_begin(sha256('example.com'))", lambda: cm.enumerate_creds_begin(RP_ID_HASH), "pinUvAuthProtocol %d" % proto.VERSION)
    capture("credman-delete-credential-" + v, dev, "CredentialManagement.delete_cred({'id': a1*16, 'type': 'public-key'})", lambda: cm.delete_cred({"id": CRED_ID, "type": "public-key"}), "pinUvAuthProtocol %d" % proto.VERSION)
    capture("credman-update-user-information-" + v, dev, "CredentialManagement.update_user_info(cred, {'id': 'user_id', 'name': 'user', 'displayName': 'A User'})", lambda: cm.update_user_info({"id": CRED_ID, "type": "public-key"}, {"id": b"user_id", "name": "user", "displayName": "A User"}), "pinUvAuthProtocol %d" % proto.VERSION)
dev = Device(full)
cm = CredentialManagement(Ctap2(dev), PinProtocolV2(), TOKEN)
dev.replies = [{3: {"id": "example.org"}, 4: hashlib.sha256(b"example.org").digest()}]
capture("credman-enumerate-rps-get-next-rp", dev, "CredentialManagement.enumerate_rps_next()", cm.enumerate_rps_next, "no pinUvAuthParam")
dev.replies = [{6: {"id": b"user_id"}}]
capture("credman-enumerate-credentials-get-next-credential", dev, "CredentialManagement.enumerate_creds_next()", cm.enumerate_creds_next, "no pinUvAuthParam")

# The prototype command 0x41 of an authenticator with credentialMgmtPreview and no credMgmt
dev = Device({"credentialMgmtPreview": True, "clientPin": True})
cm = CredentialManagement(Ctap2(dev), PinProtocolV1(), TOKEN)
dev.replies = [{1: 0, 2: 25}]
capture("credman-preview-get-creds-metadata-v1", dev, "CredentialManagement.get_metadata() on a credentialMgmtPreview authenticator", cm.get_metadata, "command 0x41, pinUvAuthProtocol 1")

# Bio enrollment, command 0x09 (BioEnrollment asks for the modality first)
dev = Device(full)
dev.replies = [{1: 1}]
bio = FPBioEnrollment(Ctap2(dev), PinProtocolV2(), TOKEN)
rows.append(("bio-get-modality", "BioEnrollment.get_modality() (from FPBioEnrollment's constructor)", dev.sent[0].hex(), "no pinUvAuthParam"))
dev.replies = [{1: 1, 2: 1, 3: 4}]
capture("bio-get-fingerprint-sensor-info", dev, "FPBioEnrollment.get_fingerprint_sensor_info()", bio.get_fingerprint_sensor_info, "no pinUvAuthParam")
dev.replies = [{4: TEMPLATE_ID, 5: 0, 6: 2}]
capture("bio-enroll-begin-v2", dev, "FPBioEnrollment.enroll_begin(timeout=10000)", lambda: bio.enroll_begin(10000), "pinUvAuthProtocol 2")
dev.replies = [{5: 0, 6: 1}]
capture("bio-enroll-capture-next-sample-v2", dev, "FPBioEnrollment.enroll_capture_next(6896, timeout=10000)", lambda: bio.enroll_capture_next(TEMPLATE_ID, 10000), "pinUvAuthProtocol 2")
capture("bio-cancel-current-enrollment", dev, "FPBioEnrollment.enroll_cancel()", bio.enroll_cancel, "no pinUvAuthParam")
dev.replies = [{7: [{1: TEMPLATE_ID, 2: "finger1"}]}]
capture("bio-enumerate-enrollments-v2", dev, "FPBioEnrollment.enumerate_enrollments()", bio.enumerate_enrollments, "pinUvAuthProtocol 2")
capture("bio-set-friendly-name-v2", dev, "FPBioEnrollment.set_name(6896, 'finger1')", lambda: bio.set_name(TEMPLATE_ID, "finger1"), "pinUvAuthProtocol 2")
capture("bio-remove-enrollment-v2", dev, "FPBioEnrollment.remove_enrollment(6896)", lambda: bio.remove_enrollment(TEMPLATE_ID), "pinUvAuthProtocol 2")

# Large blobs, command 0x0C: an empty array is 0x80 followed by the first 16 bytes of its SHA-256
dev = Device(full)
lb = LargeBlobs(Ctap2(dev), PinProtocolV2(), TOKEN)
empty = b"\x80" + hashlib.sha256(b"\x80").digest()[:16]
dev.replies = [{1: empty}]
capture("blobs-get", dev, "LargeBlobs.read_blob_array() with maxMsgSize 1200", lb.read_blob_array, "get 1136 at offset 0, no pinUvAuthParam")
capture("blobs-set-v2", dev, "LargeBlobs.write_blob_array([])", lambda: lb.write_blob_array([]), "set the 17-byte empty array at offset 0 with length 17, pinUvAuthProtocol 2")
# put_blob: one entry for LARGE_BLOB_KEY, its nonce fixed to BLOB_NONCE (python-fido2 draws it from
# os.urandom), the data zlib.compress'ed as python-fido2 0.9.1 does (RFC 1950, not the spec's raw DEFLATE)
import fido2.ctap2.blob as blob_module
dev.replies = [{1: empty}]
urandom = blob_module.os.urandom
blob_module.os.urandom = lambda n: BLOB_NONCE[:n]
try:
    capture("blobs-put-v2", dev, "LargeBlobs.put_blob(large-blob-key, b'softkey large blob')", lambda: lb.put_blob(LARGE_BLOB_KEY, BLOB_DATA), "get, then set one entry {1: ciphertext, 2: blob-nonce, 3: 18} with length, pinUvAuthProtocol 2")
finally:
    blob_module.os.urandom = urandom

# Authenticator config, command 0x0D
dev = Device(full)
cfg = Config(Ctap2(dev), PinProtocolV2(), TOKEN)
capture("config-toggle-always-uv-v2", dev, "Config.toggle_always_uv()", cfg.toggle_always_uv, "pinUvAuthProtocol 2")
capture("config-set-min-pin-length-v2", dev, "Config.set_min_pin_length(8, ['example.com'], True)", lambda: cfg.set_min_pin_length(8, ["example.com"], True), "pinUvAuthProtocol 2")
capture("config-set-min-pin-length-force-only-v2", dev, "Config.set_min_pin_length(force_change_pin=True)", lambda: cfg.set_min_pin_length(force_change_pin=True), "pinUvAuthProtocol 2")
cfg1 = Config(Ctap2(dev), PinProtocolV1(), TOKEN)
capture("config-toggle-always-uv-v1", dev, "Config.toggle_always_uv() with protocol 1", cfg1.toggle_always_uv, "pinUvAuthProtocol 1")

print("# source: python-fido2 %s (Debian package python3-fido2), fido2/ctap2/{credman,bio,blob,config}.py: the messages its classes send, captured at the CTAPHID_CBOR boundary of a mock device by testvectors/tools/ctap2-python-fido2-requests.py" % fido2.__version__)
print("# pin-uv-auth-token: %s" % TOKEN.hex())
print("# large-blob-key: %s" % LARGE_BLOB_KEY.hex())
print("# blob-nonce: %s" % BLOB_NONCE.hex())
print("# note: every pinUvAuthParam is python-fido2's authenticate() under pin-uv-auth-token over the message it builds; the mock authenticator reports maxMsgSize 1200")
print("# columns: name, the python-fido2 call, message (command byte then CBOR, hex), note")
for r in rows:
    print("\t".join(r))
