// softkey rp's page: runs the ceremonies against the JSON endpoints and shows the verdict.
// No build step, no external resources. Where the browser has the WebAuthn Level 3 JSON helpers
// (PublicKeyCredential.parseCreationOptionsFromJSON, parseRequestOptionsFromJSON, toJSON) they are
// used; otherwise the small base64url conversions below do the same job.
"use strict";

const $ = (id) => document.getElementById(id);

function b64uToBuf(s) {
  const pad = "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob((s + pad).replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

function bufToB64u(buf) {
  const bytes = new Uint8Array(buf instanceof ArrayBuffer ? buf : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Client extension results may hold ArrayBuffers (prf, largeBlob): encode them as toJSON() does.
function jsonable(v) {
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return bufToB64u(v);
  if (Array.isArray(v)) return v.map(jsonable);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v)) o[k] = jsonable(v[k]);
    return o;
  }
  return v;
}

// A credential descriptor list with its ids decoded (excludeCredentials, allowCredentials).
function descriptors(list) {
  return list ? list.map((c) => Object.assign({}, c, { id: b64uToBuf(c.id) })) : undefined;
}

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  const o = Object.assign({}, json, { challenge: b64uToBuf(json.challenge) });
  o.user = Object.assign({}, json.user, { id: b64uToBuf(json.user.id) });
  if (json.excludeCredentials) o.excludeCredentials = descriptors(json.excludeCredentials);
  return o;
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  const o = Object.assign({}, json, { challenge: b64uToBuf(json.challenge) });
  if (json.allowCredentials) o.allowCredentials = descriptors(json.allowCredentials);
  return o;
}

function credentialJson(cred) {
  if (typeof cred.toJSON === "function") {
    try {
      return cred.toJSON();
    } catch (e) {
      // some browsers' toJSON throws on extension outputs it cannot encode: fall through
    }
  }
  const r = cred.response;
  const out = {
    id: cred.id,
    rawId: bufToB64u(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment || null,
    clientExtensionResults: jsonable(cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}),
    response: { clientDataJSON: bufToB64u(r.clientDataJSON) },
  };
  if (r.attestationObject) {
    out.response.attestationObject = bufToB64u(r.attestationObject);
    if (typeof r.getTransports === "function") out.response.transports = r.getTransports();
  } else {
    out.response.authenticatorData = bufToB64u(r.authenticatorData);
    out.response.signature = bufToB64u(r.signature);
    if (r.userHandle) out.response.userHandle = bufToB64u(r.userHandle);
  }
  return out;
}

const FIELDS = ["aaguid", "model", "format", "chain", "flags", "extensions", "refusal"];

function setState(state) {
  $("result").dataset.state = state;
  $("state").textContent = state;
}

function clear() {
  for (const f of FIELDS) $(f).textContent = "";
}

function show(r) {
  $("aaguid").textContent = r.aaguid || "";
  $("model").textContent = r.model || "(not in this site's FIDO metadata)";
  const a = r.attestation || {};
  $("format").textContent = a.format ? a.format + (a.trusted ? " (trusted through FIDO metadata)" : " (not trusted)") : "";
  $("chain").textContent = (a.chain || []).map((c, i) => i + ": " + c.subject + "\n   issued by " + c.issuer).join("\n") || "(no certificates)";
  const f = r.flags || {};
  $("flags").textContent = ["up", "uv", "be", "bs"].map((k) => k.toUpperCase() + "=" + (f[k] ? "1" : "0")).join(" ")
      + (r.signCount !== null && r.signCount !== undefined ? "  signCount=" + r.signCount : "");
  $("extensions").textContent = JSON.stringify(r.extensions || {}, null, 2);
  $("refusal").textContent = r.refusal ? r.refusal.message + " [" + r.refusal.policy + "]" : "";
}

async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  let json = null;
  try {
    json = await res.json();
  } catch (e) {
    json = { ok: false, message: "HTTP " + res.status + " without a JSON body" };
  }
  return { status: res.status, json };
}

async function ceremony(kind) {
  clear();
  setState("working");
  try {
    const username = $("username").value.trim();
    const uv = $("uv").value;
    let options;
    if (kind === "register") {
      options = await post("/api/register/options", {
        username, displayName: username, discoverable: $("discoverable").checked, userVerification: uv,
        attestation: $("attestation").value,
      });
    } else {
      const body = { userVerification: uv };
      if (username) body.username = username;
      options = await post("/api/signin/options", body);
    }
    if (options.status !== 200) {
      setState("error");
      $("refusal").textContent = options.json.message || JSON.stringify(options.json);
      return;
    }
    const cred = kind === "register"
      ? await navigator.credentials.create({ publicKey: creationOptions(options.json.publicKey) })
      : await navigator.credentials.get({ publicKey: requestOptions(options.json.publicKey) });
    const verify = await post(kind === "register" ? "/api/register/verify" : "/api/signin/verify",
        { ceremonyId: options.json.ceremonyId, credential: credentialJson(cred) });
    show(verify.json);
    setState(verify.json.ok ? "ok" : verify.status === 403 ? "refused" : "error");
  } catch (e) {
    setState("error");
    $("refusal").textContent = (e && e.name ? e.name : "Error") + ": " + (e && e.message ? e.message : String(e));
  }
}

async function loadPolicy() {
  try {
    const res = await fetch("/api/policy");
    $("policy").textContent = JSON.stringify(await res.json(), null, 2);
  } catch (e) {
    $("policy").textContent = "cannot load the policy: " + e;
  }
}

$("register").addEventListener("click", () => ceremony("register"));
$("signin").addEventListener("click", () => ceremony("signin"));
loadPolicy();
