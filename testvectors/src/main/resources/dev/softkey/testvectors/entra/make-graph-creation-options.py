#!/usr/bin/env python3
"""Writes graph-creation-options.json: a Microsoft Graph webauthnCredentialCreationOptions response
shaped like the real tenant capture (see README.md), with synthetic values from a fixed seed."""
import base64, json, random

rng = random.Random(10)
def rb(n): return bytes(rng.getrandbits(8) for _ in range(n))
def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

# A compact JWE (RFC 7516 section 7.1) of the size Graph sends: RSA-OAEP-256 / A256GCM with an x5c header.
header = {"alg": "RSA-OAEP-256", "enc": "A256GCM", "x5c": [base64.b64encode(rb(1100)).decode()], "x5t": b64u(rb(20))}
jwe = ".".join([b64u(json.dumps(header, separators=(",", ":")).encode()), b64u(rb(256)), b64u(rb(12)), b64u(rb(2600)), b64u(rb(16))])
# Ids in standard base64 with padding, as in the capture; lengths not multiples of 3 so that '=' appears.
exclude = []
while len(exclude) < 2:
    i = rb(64)
    s = base64.b64encode(i).decode()
    if "+" in s or "/" in s:
        exclude.append(s)

doc = {
    "@odata.context": "https://graph.microsoft.com/beta/$metadata#microsoft.graph.webauthnCredentialCreationOptions",
    "challengeTimeoutDateTime": "2026-12-02T05:00:00Z",
    "publicKey": {
        "@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialCreationOptions",
        "challenge": b64u(jwe.encode()),
        "timeout": 60000,
        "attestation": "direct",
        "rp": {"@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialRpEntity", "id": "login.microsoft.com", "name": "Microsoft"},
        "user": {"@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialUserEntity", "id": b64u(rb(48)),
                 "name": "AdeleV@contoso.com", "displayName": "Adele Vance"},
        "pubKeyCredParams": [
            {"@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialParameters", "type": "public-key", "alg": -7},
            {"@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialParameters", "type": "public-key", "alg": -257}],
        "excludeCredentials": [
            {"@odata.type": "#microsoft.graph.webauthnPublicKeyCredentialDescriptor", "type": "public-key", "id": e, "transports": []}
            for e in exclude],
        "authenticatorSelection": {"@odata.type": "#microsoft.graph.webauthnAuthenticatorSelectionCriteria",
                                   "authenticatorAttachment": "cross-platform", "requireResidentKey": True, "userVerification": "required"},
        "extensions": {"@odata.type": "#microsoft.graph.webauthnAuthenticationExtensionsClientInputs",
                       "hmacCreateSecret": True, "enforceCredentialProtectionPolicy": True,
                       "credentialProtectionPolicy": "userVerificationOptional"},
    },
}
with open("graph-creation-options.json", "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
