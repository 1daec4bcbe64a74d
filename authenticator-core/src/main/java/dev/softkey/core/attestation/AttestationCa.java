package dev.softkey.core.attestation;

import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.crypto.CoseAlgorithm;
import dev.softkey.core.crypto.CredentialKey;
import dev.softkey.ctap.crypto.RandomSource;
import dev.softkey.ctap.CtapException;
import dev.softkey.ctap.CtapStatus;
import dev.softkey.ctap.model.Bytes;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.profile.Transport;
import dev.softkey.core.store.DeviceStateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

/**
 * softkey's own attestation CA: a self-signed P-256 root and one batch (attestation) certificate
 * per profile, issued by that root and meeting the packed attestation certificate requirements
 * (WebAuthn L3 section 8.2.1). An RP that trusts the exported root ({@link #rootCertificatePem()},
 * {@code softkey ca export}) accepts every batch certificate this store issues.
 *
 * <p>Material is created on first use and kept in the {@link DeviceStateStore} under {@value
 * #ROOT_STORE_KEY} and {@value #BATCH_STORE_KEY_PREFIX}{@code <profileId>}, so the same store gives
 * the same root across runs. Each record is a CBOR map with integer keys:
 *
 * <pre>
 *   1 (version)     : 1
 *   2 (privateKey)  : the P-256 private scalar d, 32 bytes (secret)
 *   3 (certificate) : the X.509 certificate, DER
 * </pre>
 *
 * <p>A batch record is reissued (new key, new certificate) when it no longer fits: issued by
 * another root, or the profile's AAGUID or transports changed. A root record is never replaced once
 * written; one that cannot be read fails with {@code CTAP1_ERR_OTHER} rather than silently breaking
 * trust.
 *
 * <p>Generation is reproducible: validity comes from the injected {@link Clock}, keys and serial
 * numbers from the injected {@link RandomSource}, and signatures use deterministic ECDSA (RFC
 * 6979), so a seeded source and a fixed clock give byte-identical certificates.
 */
public final class AttestationCa {
  /** Store key of the root record. */
  public static final String ROOT_STORE_KEY = "attestation.root";

  /** Prefix of the batch record keys; the profile ID follows. */
  public static final String BATCH_STORE_KEY_PREFIX = "attestation.batch.";

  /** Prefix of the enterprise attestation record keys; the profile ID follows. */
  public static final String ENTERPRISE_STORE_KEY_PREFIX = "attestation.enterprise.";

  /** id-fido-gen-ce-aaguid (WebAuthn L3 section 8.2.1): the AAGUID as an OCTET STRING. */
  public static final String AAGUID_EXTENSION_OID = "1.3.6.1.4.1.45724.1.1.4";

  /**
   * id-fido-u2f-ce-transports (FIDO U2F Authenticator Transports Extension v1.2): a BIT STRING of
   * bluetoothRadio(0), bluetoothLowEnergyRadio(1), uSB(2), nFC(3), uSBInternal(4).
   */
  public static final String TRANSPORTS_EXTENSION_OID = "1.3.6.1.4.1.45724.2.1.1";

  /** The Subject OU that WebAuthn L3 section 8.2.1 requires of an attestation certificate. */
  public static final String ATTESTATION_OU = "Authenticator Attestation";

  static final String ROOT_COMMON_NAME = "softkey Attestation Root CA";
  static final String ORGANIZATION = "softkey";
  static final String COUNTRY = "US";

  /** Record format version written by this class. */
  static final long RECORD_VERSION = 1;

  private static final long KEY_VERSION = 1; // version
  private static final long KEY_PRIVATE_KEY = 2; // privateKey
  private static final long KEY_CERTIFICATE = 3; // certificate

  /**
   * notBefore lies this far before the clock's now, so a verifier whose clock lags still accepts.
   */
  static final Duration BACKDATE = Duration.ofDays(1);

  static final int ROOT_VALIDITY_YEARS = 30;
  static final int BATCH_VALIDITY_YEARS = 20;

  private static final ASN1ObjectIdentifier AAGUID_OID =
      new ASN1ObjectIdentifier(AAGUID_EXTENSION_OID);
  private static final ASN1ObjectIdentifier TRANSPORTS_OID =
      new ASN1ObjectIdentifier(TRANSPORTS_EXTENSION_OID);
  private static final AlgorithmIdentifier EC_P256 =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
  private static final AlgorithmIdentifier ECDSA_WITH_SHA256 =
      new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
  private static final int SERIAL_LENGTH = 16;
  private static final int MAX_COMMON_NAME = 64; // ub-common-name, RFC 5280 appendix A.1

  private final DeviceStateStore store;
  private final RandomSource random;
  private final Clock clock;

  private Material root;
  private final Map<BatchKey, BatchAttestation> batches = new HashMap<>();
  private final Map<BatchKey, BatchAttestation> enterprise = new HashMap<>();

  /** A key and its certificate, as stored. */
  private record Material(CredentialKey key, X509CertificateHolder certificate) {}

  /** What a batch certificate depends on; a change means a new batch certificate. */
  private record BatchKey(String profileId, UUID aaguid, List<Transport> transports) {}

  public AttestationCa(DeviceStateStore store, RandomSource random, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.random = Objects.requireNonNull(random);
    this.clock = Objects.requireNonNull(clock);
  }

  /** The root certificate, DER. Creates and stores the root on first use. */
  public synchronized Bytes rootCertificate() {
    return der(root().certificate());
  }

  /**
   * The root certificate as PEM ("-----BEGIN CERTIFICATE-----", 64-column base64, final newline).
   */
  public String rootCertificatePem() {
    return toPem(rootCertificate());
  }

  /**
   * The profile's batch key and certificate. Creates and stores them (and the root) on first use.
   */
  public synchronized BatchAttestation batch(Profile profile) {
    BatchKey id = new BatchKey(profile.id(), profile.identity().aaguid(), profile.getInfo().transports());
    BatchAttestation cached = batches.get(id);
    if (cached != null) {
      return cached;
    }
    Material r = root();
    String storeKey = BATCH_STORE_KEY_PREFIX + profile.id();
    Optional<Material> stored = store.get(storeKey).map(b -> decode(storeKey, b));
    Material m;
    if (stored.isPresent() && fits(stored.get().certificate(), r, profile)) {
      m = stored.get();
    } else {
      m = issueBatch(r, profile);
      store.put(storeKey, encode(m));
    }
    BatchAttestation batch = new BatchAttestation(profile.id(), m.key(), der(m.certificate()));
    batches.put(id, batch);
    return batch;
  }

  /**
   * The enterprise attestation key and certificate of this device for the profile (CTAP 2.1
   * section 7.1): issued by the same root as the batch certificates and meeting the same packed
   * requirements, but unique to this device and naming it. Its Subject carries, besides C, O, OU
   * "Authenticator Attestation" and CN "softkey Enterprise Attestation &lt;profile&gt;", the X.520
   * serialNumber attribute (2.5.4.5) with the device's serial number: 16 upper-case hex digits,
   * random, fixed when the certificate is first issued (as a vendor writes a key's serial number
   * into its enterprise certificate; softkey has no vendor OID arc for Yubico-style serial
   * extensions, so it uses the standard attribute). Kept under {@value
   * #ENTERPRISE_STORE_KEY_PREFIX}{@code <profileId>}; authenticatorReset keeps it, like the
   * device's serial number.
   */
  public synchronized BatchAttestation enterprise(Profile profile) {
    BatchKey id = new BatchKey(profile.id(), profile.identity().aaguid(), profile.getInfo().transports());
    BatchAttestation cached = enterprise.get(id);
    if (cached != null) {
      return cached;
    }
    Material r = root();
    String storeKey = ENTERPRISE_STORE_KEY_PREFIX + profile.id();
    Optional<Material> stored = store.get(storeKey).map(b -> decode(storeKey, b));
    Material m;
    if (stored.isPresent() && fits(stored.get().certificate(), r, profile) && serialOf(stored.get().certificate()).isPresent()) {
      m = stored.get();
    } else {
      String serial = stored.flatMap(s -> serialOf(s.certificate())).orElseGet(this::newDeviceSerial);
      m = issueLeaf(r, profile, enterpriseCommonName(profile), Optional.of(serial));
      store.put(storeKey, encode(m));
    }
    BatchAttestation e = new BatchAttestation(profile.id(), m.key(), der(m.certificate()));
    enterprise.put(id, e);
    return e;
  }

  /** The device serial number in the profile's enterprise attestation certificate (issued on first use). */
  public synchronized String enterpriseSerialNumber(Profile profile) {
    enterprise(profile);
    Bytes der = enterprise(profile).certificate();
    try {
      return serialOf(new X509CertificateHolder(der.toArray())).orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("enterprise certificate does not parse", e);
    }
  }

  private String newDeviceSerial() {
    return java.util.HexFormat.of().withUpperCase().formatHex(random.bytes(8));
  }

  private static Optional<String> serialOf(X509CertificateHolder cert) {
    var rdns = cert.getSubject().getRDNs(BCStyle.SERIALNUMBER);
    if (rdns.length != 1) {
      return Optional.empty();
    }
    return Optional.of(rdns[0].getFirst().getValue().toString());
  }

  private static String enterpriseCommonName(Profile profile) {
    String cn = "softkey Enterprise Attestation " + profile.id();
    return cn.length() <= MAX_COMMON_NAME ? cn : cn.substring(0, MAX_COMMON_NAME);
  }

  /** The certificate chain for the profile, leaf first: [batch DER, root DER]. */
  public List<Bytes> certificateChain(Profile profile) {
    BatchAttestation batch = batch(profile);
    return List.of(batch.certificate(), rootCertificate());
  }

  /** PEM armour for one DER certificate (RFC 7468 section 5). */
  public static String toPem(Bytes der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der.unsafeArray());
    return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
  }

  /**
   * A TLS server certificate for {@code hosts} (DNS names or IP literals), issued by the root, with
   * a fresh key that is not stored ({@code softkey mds serve --tls}).
   */
  public synchronized TlsServerCertificate tlsServer(List<String> hosts) {
    Material r = root();
    return TlsServerCertificate.issue(r.key(), r.certificate(), hosts, clock);
  }

  /**
   * The RSA-2048 signer of RS256 metadata BLOBs, issued by the root and kept in this CA's store
   * (see {@link MetadataRsaSigner} for why RS256 besides the ES256 signer).
   */
  public synchronized MetadataRsaSigner metadataSignerRs256() {
    Material r = root();
    return MetadataRsaSigner.loadOrIssue(store, r.key(), r.certificate(), random, clock);
  }

  @Override
  public String toString() {
    return "AttestationCa";
  }

  // ---- root ----

  private Material root() {
    if (root == null) {
      Optional<Bytes> stored = store.get(ROOT_STORE_KEY);
      if (stored.isPresent()) {
        root = decode(ROOT_STORE_KEY, stored.get());
      } else {
        root = issueRoot();
        store.put(ROOT_STORE_KEY, encode(root));
      }
    }
    return root;
  }

  private Material issueRoot() {
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    SubjectPublicKeyInfo spki = subjectPublicKeyInfo(key);
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, COUNTRY)
            .addRDN(BCStyle.O, ORGANIZATION)
            .addRDN(BCStyle.CN, ROOT_COMMON_NAME)
            .build();
    Instant notBefore = notBefore();
    Instant notAfter =
        notBefore.atOffset(ZoneOffset.UTC).plusYears(ROOT_VALIDITY_YEARS).toInstant();
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            name, serialNumber(), Date.from(notBefore), Date.from(notAfter), name, spki);
    // RFC 5280 section 4.2.1.9: CA certificates carry a critical basicConstraints with cA TRUE;
    // pathLen 0 because only end-entity (batch) certificates are issued below the root.
    addExtension(b, Extension.basicConstraints, true, new BasicConstraints(0));
    addExtension(
        b, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    return new Material(key, b.build(signer(key)));
  }

  // ---- batch ----

  /**
   * Issues a batch certificate per WebAuthn L3 section 8.2.1 "Packed Attestation Statement
   * Certificate Requirements".
   */
  private Material issueBatch(Material r, Profile profile) {
    return issueLeaf(r, profile, batchCommonName(profile), Optional.empty());
  }

  /** A batch or enterprise certificate; the latter has a serialNumber in its Subject. */
  private Material issueLeaf(Material r, Profile profile, String commonName, Optional<String> deviceSerial) {
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    SubjectPublicKeyInfo spki = subjectPublicKeyInfo(key);
    // 1. Subject: C (ISO 3166 code), O (vendor), OU literally "Authenticator Attestation", CN
    //    (and, for an enterprise certificate, serialNumber).
    X500NameBuilder nb =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, COUNTRY)
            .addRDN(BCStyle.O, ORGANIZATION)
            .addRDN(BCStyle.OU, ATTESTATION_OU)
            .addRDN(BCStyle.CN, commonName);
    deviceSerial.ifPresent(sn -> nb.addRDN(BCStyle.SERIALNUMBER, sn));
    X500Name subject = nb.build();
    Instant notBefore = notBefore();
    Instant notAfter =
        notBefore.atOffset(ZoneOffset.UTC).plusYears(BATCH_VALIDITY_YEARS).toInstant();
    Instant rootNotAfter = r.certificate().getNotAfter().toInstant();
    if (notAfter.isAfter(rootNotAfter)) {
      notAfter = rootNotAfter;
    }
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    // 2. Version 3 (X509v3CertificateBuilder always writes v3).
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            r.certificate().getSubject(),
            serialNumber(),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            spki);
    // 3. Basic Constraints with cA FALSE.
    addExtension(b, Extension.basicConstraints, true, new BasicConstraints(false));
    addExtension(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    addExtension(
        b,
        Extension.authorityKeyIdentifier,
        false,
        ext.createAuthorityKeyIdentifier(r.certificate().getSubjectPublicKeyInfo()));
    // 4. id-fido-gen-ce-aaguid, not critical: extnValue wraps an OCTET STRING holding the AAGUID.
    addExtension(b, AAGUID_OID, false, new DEROctetString(Bytes.fromUuid(profile.identity().aaguid()).toArray()));
    // FIDO U2F Authenticator Transports Extension, when the profile names a transport it knows.
    Optional<DERBitString> transports = transportsBits(profile.getInfo().transports());
    if (transports.isPresent()) {
      addExtension(b, TRANSPORTS_OID, false, transports.get());
    }
    return new Material(key, b.build(signer(r.key())));
  }

  /** Whether a stored batch certificate still belongs to this root and profile. */
  private static boolean fits(X509CertificateHolder cert, Material r, Profile profile) {
    AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(cert.getExtensions());
    SubjectKeyIdentifier rootSki =
        SubjectKeyIdentifier.fromExtensions(r.certificate().getExtensions());
    if (aki == null
        || rootSki == null
        || aki.getKeyIdentifierObject() == null
        || !Arrays.equals(aki.getKeyIdentifierObject().getOctets(), rootSki.getKeyIdentifier())
        || !cert.getIssuer().equals(r.certificate().getSubject())) {
      return false;
    }
    Extension aaguid = cert.getExtension(AAGUID_OID);
    if (aaguid == null
        || !aaguid.getParsedValue().equals(new DEROctetString(Bytes.fromUuid(profile.identity().aaguid()).toArray()))) {
      return false;
    }
    Extension transports = cert.getExtension(TRANSPORTS_OID);
    Optional<DERBitString> expected = transportsBits(profile.getInfo().transports());
    if (transports == null) {
      return expected.isEmpty();
    }
    return expected.isPresent() && transports.getParsedValue().equals(expected.get());
  }

  private static String batchCommonName(Profile profile) {
    String cn = "softkey Batch Attestation " + profile.id();
    return cn.length() <= MAX_COMMON_NAME ? cn : cn.substring(0, MAX_COMMON_NAME);
  }

  /** The FIDOU2FTransports BIT STRING for WebAuthn transport names; empty if none maps. */
  static Optional<DERBitString> transportsBits(List<Transport> transports) {
    int bits = 0;
    for (Transport t : transports) {
      int bit =
          switch (t) {
            case BLE -> 1; // bluetoothLowEnergyRadio
            case USB -> 2; // uSB
            case NFC -> 3; // nFC
            case INTERNAL -> 4; // uSBInternal
            case HYBRID, SMART_CARD -> -1; // no bit for them
          };
      if (bit >= 0) {
        bits |= 0x80 >>> bit;
      }
    }
    if (bits == 0) {
      return Optional.empty();
    }
    // DER: named bit lists drop trailing zero bits (X.690 section 11.2.2).
    int padBits = Integer.numberOfTrailingZeros(bits);
    return Optional.of(new DERBitString(new byte[] {(byte) bits}, padBits));
  }

  // ---- shared ----

  private Instant notBefore() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
  }

  /**
   * A positive 16-byte serial number from the RandomSource (RFC 5280 section 4.1.2.2: at most 20
   * octets).
   */
  private BigInteger serialNumber() {
    byte[] s = random.bytes(SERIAL_LENGTH);
    s[0] = (byte) ((s[0] & 0x7F) | 0x40);
    return new BigInteger(1, s);
  }

  private static SubjectPublicKeyInfo subjectPublicKeyInfo(CredentialKey key) {
    // Named curve (secp256r1), uncompressed point: the form RPs and the FIDO MDS expect.
    return new SubjectPublicKeyInfo(EC_P256, key.uncompressedEcPoint().toArray());
  }

  private static void addExtension(
      X509v3CertificateBuilder b, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      b.addExtension(oid, critical, value);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode certificate extension " + oid, e);
    }
  }

  /** ecdsa-with-SHA256 through CredentialKey: deterministic nonces (RFC 6979). */
  private static ContentSigner signer(CredentialKey key) {
    return new ContentSigner() {
      private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_WITH_SHA256;
      }

      @Override
      public OutputStream getOutputStream() {
        return tbs;
      }

      @Override
      public byte[] getSignature() {
        return key.sign(tbs.toByteArray()).toArray();
      }
    };
  }

  private static Bytes der(X509CertificateHolder cert) {
    try {
      return Bytes.wrap(cert.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  private static Bytes encode(Material m) {
    Map<Object, Object> record = new LinkedHashMap<>();
    record.put(KEY_VERSION, RECORD_VERSION);
    record.put(KEY_PRIVATE_KEY, m.key().privateEncoding());
    record.put(KEY_CERTIFICATE, der(m.certificate()));
    return CborEncoder.encodeBytes(record);
  }

  private static Material decode(String storeKey, Bytes record) {
    try {
      CborMap map = CborDecoder.decodeMap(record.unsafeArray());
      if (map.longValue(KEY_VERSION) != RECORD_VERSION) {
        throw corrupt(storeKey, "unsupported record version");
      }
      CredentialKey key =
          CredentialKey.fromPrivateEncoding(CoseAlgorithm.ES256, map.bytes(KEY_PRIVATE_KEY));
      X509CertificateHolder cert = new X509CertificateHolder(map.bytes(KEY_CERTIFICATE).toArray());
      if (!cert.getSubjectPublicKeyInfo().equals(subjectPublicKeyInfo(key))) {
        throw corrupt(storeKey, "certificate does not match the key");
      }
      return new Material(key, cert);
    } catch (CtapException | IOException | IllegalArgumentException e) {
      if (e instanceof CtapException c && c.status() == CtapStatus.CTAP1_ERR_OTHER) {
        throw c;
      }
      throw corrupt(storeKey, "malformed record");
    }
  }

  private static CtapException corrupt(String storeKey, String why) {
    return new CtapException(
        CtapStatus.CTAP1_ERR_OTHER, "attestation record " + storeKey + ": " + why);
  }
}
