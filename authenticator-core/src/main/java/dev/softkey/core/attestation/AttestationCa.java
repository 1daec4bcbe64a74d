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
import dev.softkey.core.store.MemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import java.util.function.Function;
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
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

/**
 * softkey's attestation CA: one per installation, in a store of its own (never a device's store),
 * shared by every device the installation runs. Its hierarchy follows the real vendors' (devices.md
 * section 3) but names softkey throughout, never a vendor's real issuer:
 *
 * <pre>
 *   root           C=US, O=softkey, CN=softkey Attestation Root CA        (P-256, CA, pathLen 1)
 *   intermediate   C=US, O=softkey, OU=&lt;vendor&gt; models, CN=softkey &lt;vendor&gt; Attestation CA
 *                  one per {@code identity.vendor}                          (CA, pathLen 0)
 *   batch          C=US, O=softkey, OU=Authenticator Attestation, CN=softkey &lt;vendor&gt; Batch &lt;profile&gt;
 *                  one per model (profile id, AAGUID, transports)           (WebAuthn L3 section 8.2.1)
 *   enterprise     as a batch certificate plus the device's serialNumber, one per device, issued by
 *                  the vendor intermediate and kept in the device's store
 *   metadata signer C=US, O=softkey, OU=Metadata, CN=softkey Metadata BLOB Signer, issued by the root
 * </pre>
 *
 * Every CA publishes a CRL ({@link #crls()}, RFC 5280 section 5): nothing is revoked, and RP
 * libraries that check revocation by default (Yubico's, webauthn4j's) accept the chain when given
 * them.
 *
 * <p><b>Store.</b> Records (CBOR maps with integer keys) are created on first use under {@value
 * #ROOT_KEY}, {@value #INTERMEDIATE_KEY_PREFIX}{@code <vendor>}, {@value #BATCH_KEY_PREFIX}{@code
 * <profileId>}, {@value #METADATA_SIGNER_KEY}, {@value #CRL_KEY_PREFIX}{@code root|<vendor>} and
 * the list of vendors {@value #VENDORS_KEY}, each through {@link DeviceStateStore#update}: two
 * processes that start at once on one CA store end up with one root (the first writer's). A key
 * record:
 *
 * <pre>
 *   1 (version)     : 1
 *   2 (privateKey)  : the P-256 private scalar d, 32 bytes (secret)
 *   3 (certificate) : the X.509 certificate, DER
 * </pre>
 *
 * A CRL record is {1: 1, 2: the CRL, DER}. A batch record is reissued (new key, new certificate)
 * when it no longer fits: issued by another intermediate, or the profile's AAGUID or transports
 * changed. Roots and intermediates are never replaced once written; one that cannot be read fails
 * with {@code CTAP1_ERR_OTHER} rather than silently breaking trust. Records that older versions kept
 * in device stores ({@value #ROOT_STORE_KEY}, {@value #BATCH_STORE_KEY_PREFIX}{@code *}) are left
 * where they are and no longer read.
 *
 * <p><b>Reproducibility.</b> Signatures are deterministic ECDSA (RFC 6979). A CA made by {@link
 * #seeded} draws each object's key and serial number from its own source derived from the seed and
 * the object's name (so the order in which models are first used does not matter), and its
 * certificates are valid from {@link #SEEDED_NOT_BEFORE}, whatever the date: the same seed gives
 * byte-identical certificates. A CA made by {@link #open} takes keys and serials from the given
 * source and validity from the clock. CRLs always carry the clock's time (they must be current).
 * The CA never draws from a device's {@code RandomSource}.
 */
public final class AttestationCa {
  /** Store key of the root record (CA store). */
  public static final String ROOT_KEY = "ca.root";

  /** Prefix of the intermediate record keys (CA store); the encoded vendor name follows. */
  public static final String INTERMEDIATE_KEY_PREFIX = "ca.intermediate.";

  /** Prefix of the batch record keys (CA store); the profile ID follows. */
  public static final String BATCH_KEY_PREFIX = "ca.batch.";

  /** Store key of the metadata signer's record (CA store). */
  public static final String METADATA_SIGNER_KEY = "ca.metadata-signer";

  /** Prefix of the CRL record keys (CA store): {@code root}, or the encoded vendor name. */
  public static final String CRL_KEY_PREFIX = "ca.crl.";

  /** Store key of the vendors whose intermediates exist, in order of creation (CA store). */
  public static final String VENDORS_KEY = "ca.vendors";

  /** Where older versions kept a per-store root in device stores; no longer read or written. */
  public static final String ROOT_STORE_KEY = "attestation.root";

  /** Where older versions kept batch records in device stores; no longer read or written. */
  public static final String BATCH_STORE_KEY_PREFIX = "attestation.batch.";

  /** Prefix of the enterprise attestation record keys (device store); the profile ID follows. */
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

  /** notBefore of every certificate of a {@link #seeded} CA. */
  public static final Instant SEEDED_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");

  /** The vendor of softkey's own models: its intermediate is "softkey Attestation CA". */
  public static final String SOFTKEY_VENDOR = "softkey";

  static final String ROOT_COMMON_NAME = "softkey Attestation Root CA";
  static final String METADATA_SIGNER_COMMON_NAME = "softkey Metadata BLOB Signer";
  static final String ORGANIZATION = "softkey";
  static final String COUNTRY = "US";

  /** Record format version written by this class. */
  static final long RECORD_VERSION = 1;

  private static final long KEY_VERSION = 1; // version
  private static final long KEY_PRIVATE_KEY = 2; // privateKey
  private static final long KEY_CERTIFICATE = 3; // certificate
  private static final long KEY_CRL = 2; // crl (CRL records)

  /**
   * notBefore lies this far before the clock's now (CAs made by {@link #open}), so a verifier whose
   * clock lags still accepts.
   */
  static final Duration BACKDATE = Duration.ofDays(1);

  /** thisUpdate of a CRL lies this far before now, for verifiers whose clock lags. */
  static final Duration CRL_BACKDATE = Duration.ofHours(1);

  /** From thisUpdate to nextUpdate; a CRL read after half of it is reissued. */
  public static final Duration CRL_VALIDITY = Duration.ofDays(30);

  static final int ROOT_VALIDITY_YEARS = 30;
  static final int INTERMEDIATE_VALIDITY_YEARS = 30;
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
  private static final int MAX_ORGANIZATIONAL_UNIT = 64; // ub-organizational-unit-name

  private final DeviceStateStore store;
  private final Function<String, RandomSource> randomFor;
  private final Clock clock;
  private final Optional<Instant> fixedNotBefore;

  private Material root;
  private final Map<String, Material> intermediates = new HashMap<>();
  /** The DER of each intermediate, encoded once: every packed statement's x5c carries it. */
  private final Map<String, Bytes> intermediateDer = new HashMap<>();
  private final Map<BatchKey, BatchAttestation> batches = new HashMap<>();
  private final Map<String, Bytes> crls = new HashMap<>();
  private BatchAttestation metadataSigner;

  /** A key and its certificate, as stored. */
  private record Material(CredentialKey key, X509CertificateHolder certificate) {}

  /** What a batch certificate depends on; a change means a new batch certificate. */
  private record BatchKey(String profileId, UUID aaguid, List<Transport> transports, String vendor) {
    static BatchKey of(Profile p) {
      return new BatchKey(p.id(), p.identity().aaguid(), p.getInfo().transports(), p.identity().vendor());
    }
  }

  /** {@link #open}: keys and serials from {@code random}, validity from {@code clock}. */
  public AttestationCa(DeviceStateStore caStore, RandomSource random, Clock clock) {
    this(caStore, label -> random, clock, Optional.empty());
  }

  private AttestationCa(
      DeviceStateStore store, Function<String, RandomSource> randomFor, Clock clock, Optional<Instant> fixedNotBefore) {
    this.store = Objects.requireNonNull(store, "caStore");
    this.randomFor = Objects.requireNonNull(randomFor);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fixedNotBefore = fixedNotBefore;
  }

  /**
   * A CA over {@code caStore}, a store of its own (the installation's {@code FileStore} at the CA
   * directory, or a {@code MemoryStore}), never a device's store. New keys and serial numbers come
   * from {@code random} (pass the CA's own source, not a device's), validity from {@code clock}.
   */
  public static AttestationCa open(DeviceStateStore caStore, RandomSource random, Clock clock) {
    return new AttestationCa(caStore, random, clock);
  }

  /**
   * A reproducible CA over {@code caStore}: every new object's key and serial number come from a
   * source derived from {@code seed} and the object's name ({@link #seededRandom}), and
   * certificates are valid from {@link #SEEDED_NOT_BEFORE}; {@code clock} dates the CRLs only.
   * Objects already in the store are used as they are.
   */
  public static AttestationCa seeded(DeviceStateStore caStore, long seed, Clock clock) {
    return new AttestationCa(caStore, label -> seededRandom(seed, label), clock, Optional.of(SEEDED_NOT_BEFORE));
  }

  /**
   * A fresh CA in memory with secure randomness and the system clock: what an {@code
   * AuthenticatorBuilder} uses when it is given none (each builder its own root).
   */
  public static AttestationCa inMemory() {
    return open(new MemoryStore(), RandomSource.secure(), Clock.systemUTC());
  }

  /**
   * The deterministic source for {@code label} under {@code seed}: seeded with the first 8 bytes of
   * SHA-256("softkey attestation CA" || 0x00 || seed (8 bytes, big-endian) || label (UTF-8)). A
   * device seeded with the same number draws from {@code RandomSource.seeded(seed)}, which this
   * never equals, so the CA leaves the device's sequence unchanged.
   */
  public static RandomSource seededRandom(long seed, String label) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("softkey attestation CA".getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(ByteBuffer.allocate(8).putLong(seed).array());
      sha.update(label.getBytes(StandardCharsets.UTF_8));
      return RandomSource.seeded(ByteBuffer.wrap(sha.digest()).getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** The CA's own store (where mds keeps its BLOB counter, {@code mds.no}). */
  public DeviceStateStore store() {
    return store;
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

  /** The vendor's intermediate CA certificate, DER (created on first use). */
  public synchronized Bytes intermediateCertificate(String vendor) {
    return intermediateDer.computeIfAbsent(vendor, v -> der(intermediate(v).certificate()));
  }

  /**
   * The vendors whose intermediates this CA has issued, in order of creation (the CRLs of {@link
   * #crls()} after the root's follow this order).
   */
  public synchronized List<String> vendors() {
    return readVendors(store.get(VENDORS_KEY));
  }

  /**
   * The profile's batch key and certificate, issued by the intermediate of the profile's vendor.
   * Creates and stores them (and the CAs above) on first use.
   */
  public synchronized BatchAttestation batch(Profile profile) {
    BatchKey id = BatchKey.of(profile);
    BatchAttestation cached = batches.get(id);
    if (cached != null) {
      return cached;
    }
    Material issuer = intermediate(profile.identity().vendor());
    String storeKey = BATCH_KEY_PREFIX + profile.id();
    Bytes record =
        store.update(
            storeKey,
            current -> {
              if (current.isPresent() && fits(decode(storeKey, current.get()).certificate(), issuer, profile)) {
                return current.get();
              }
              return encode(issueLeaf(issuer, profile, batchCommonName(profile), Optional.empty(), randomFor.apply("batch " + profile.id())));
            });
    Material m = decode(storeKey, record);
    BatchAttestation batch = new BatchAttestation(profile.id(), m.key(), der(m.certificate()));
    batches.put(id, batch);
    return batch;
  }

  /**
   * The enterprise attestation key and certificate of a device for the profile (CTAP 2.1 section
   * 7.1), kept in that device's store {@code deviceStore}: issued by the vendor intermediate like
   * the batch certificates and meeting the same packed requirements, but unique to the device and
   * naming it. Its Subject carries, besides C, O, OU "Authenticator Attestation" and CN "softkey
   * Enterprise Attestation &lt;profile&gt;", the X.520 serialNumber attribute (2.5.4.5) with the
   * device's serial number: 16 upper-case hex digits, random, fixed when the certificate is first
   * issued (as a vendor writes a key's serial number into its enterprise certificate; softkey has no
   * vendor OID arc for Yubico-style serial extensions, so it uses the standard attribute). Kept
   * under {@value #ENTERPRISE_STORE_KEY_PREFIX}{@code <profileId>}; authenticatorReset keeps it,
   * like the device's serial number. One issued by another CA is reissued with the same serial.
   */
  public synchronized BatchAttestation enterprise(Profile profile, DeviceStateStore deviceStore) {
    Material issuer = intermediate(profile.identity().vendor());
    String storeKey = ENTERPRISE_STORE_KEY_PREFIX + profile.id();
    Optional<Material> stored = deviceStore.get(storeKey).map(b -> decode(storeKey, b));
    Material m;
    if (stored.isPresent() && fits(stored.get().certificate(), issuer, profile) && serialOf(stored.get().certificate()).isPresent()) {
      m = stored.get();
    } else {
      RandomSource r = randomFor.apply("enterprise " + profile.id());
      String serial = stored.flatMap(s -> serialOf(s.certificate())).orElseGet(() -> newDeviceSerial(r));
      m = issueLeaf(issuer, profile, enterpriseCommonName(profile), Optional.of(serial), r);
      deviceStore.put(storeKey, encode(m));
    }
    return new BatchAttestation(profile.id(), m.key(), der(m.certificate()));
  }

  /** The device serial number in the profile's enterprise attestation certificate (issued on first use). */
  public synchronized String enterpriseSerialNumber(Profile profile, DeviceStateStore deviceStore) {
    Bytes der = enterprise(profile, deviceStore).certificate();
    try {
      return serialOf(new X509CertificateHolder(der.toArray())).orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("enterprise certificate does not parse", e);
    }
  }

  /**
   * The x5c of the profile's packed attestation, leaf first and without the root (WebAuthn L3
   * section 8.2: the root is the RP's trust anchor): [batch DER, vendor intermediate DER].
   */
  public synchronized List<Bytes> certificateChain(Profile profile) {
    BatchAttestation batch = batch(profile);
    return List.of(batch.certificate(), intermediateCertificate(profile.identity().vendor()));
  }

  /**
   * The key that signs softkey's MDS3 BLOB (ES256, deterministic ECDSA) and its certificate, issued
   * directly by the root (created on first use).
   */
  public synchronized BatchAttestation metadataSigner() {
    if (metadataSigner == null) {
      Material r = root();
      Bytes record =
          store.update(
              METADATA_SIGNER_KEY,
              current -> {
                if (current.isPresent() && issuedBy(decode(METADATA_SIGNER_KEY, current.get()).certificate(), r)) {
                  return current.get();
                }
                return encode(issueMetadataSigner(r));
              });
      Material m = decode(METADATA_SIGNER_KEY, record);
      metadataSigner = new BatchAttestation("metadata-signer", m.key(), der(m.certificate()));
    }
    return metadataSigner;
  }

  /** The x5c of an MDS3 BLOB's JWS header: [metadata signer certificate DER] (the root excluded). */
  public List<Bytes> metadataSignerChain() {
    return List.of(metadataSigner().certificate());
  }

  /**
   * One current CRL (DER, RFC 5280 section 5) per CA: the root's first, then each vendor
   * intermediate's in order of creation ({@link #vendors()}). Each names its issuer, has thisUpdate
   * &le; now &lt; nextUpdate ({@link #CRL_VALIDITY}), a cRLNumber and an authorityKeyIdentifier, is
   * signed by its CA and revokes nothing. A CRL read after half its validity is reissued with the
   * next number.
   */
  public synchronized List<Bytes> crls() {
    List<Bytes> out = new ArrayList<>();
    out.add(crl("root", root()));
    for (String vendor : vendors()) {
      out.add(crl(storeName(vendor), intermediate(vendor)));
    }
    return List.copyOf(out);
  }

  /** PEM armour for one DER certificate (RFC 7468 section 5). */
  public static String toPem(Bytes der) {
    return pem("CERTIFICATE", der);
  }

  /** PEM armour for one DER CRL (RFC 7468 section 6, label "X509 CRL"). */
  public static String crlToPem(Bytes der) {
    return pem("X509 CRL", der);
  }

  private static String pem(String label, Bytes der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der.unsafeArray());
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  /**
   * The name under which the vendor's records are kept, and the stable part of file names made for
   * it ({@code softkey ca export --dir}): ASCII letters and digits kept, '-' and '.' kept, every
   * other UTF-8 byte as "_XX" (hex), so that two vendors never share a name.
   */
  public static String storeName(String vendor) {
    StringBuilder b = new StringBuilder();
    for (byte x : vendor.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
        b.append(c);
      } else {
        b.append('_').append(String.format("%02X", x & 0xFF));
      }
    }
    return b.toString();
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
    return MetadataRsaSigner.loadOrIssue(store, r.key(), r.certificate(), randomFor.apply(MetadataRsaSigner.STORE_KEY), notBefore());
  }

  @Override
  public String toString() {
    return "AttestationCa";
  }

  // ---- root ----

  private Material root() {
    if (root == null) {
      Bytes record = store.update(ROOT_KEY, current -> current.orElseGet(() -> encode(issueRoot())));
      root = decode(ROOT_KEY, record);
    }
    return root;
  }

  private Material issueRoot() {
    RandomSource random = randomFor.apply("root");
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    SubjectPublicKeyInfo spki = subjectPublicKeyInfo(key);
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, COUNTRY)
            .addRDN(BCStyle.O, ORGANIZATION)
            .addRDN(BCStyle.CN, ROOT_COMMON_NAME)
            .build();
    Instant notBefore = notBefore();
    Instant notAfter = plusYears(notBefore, ROOT_VALIDITY_YEARS);
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            name, serialNumber(random), Date.from(notBefore), Date.from(notAfter), name, spki);
    // RFC 5280 section 4.2.1.9: CA certificates carry a critical basicConstraints with cA TRUE;
    // pathLen 1: one level of CAs (the vendor intermediates) below the root.
    addExtension(b, Extension.basicConstraints, true, new BasicConstraints(1));
    addExtension(
        b, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    return new Material(key, b.build(signer(key)));
  }

  // ---- intermediates ----

  private Material intermediate(String vendor) {
    Material cached = intermediates.get(vendor);
    if (cached != null) {
      return cached;
    }
    Material r = root();
    String storeKey = INTERMEDIATE_KEY_PREFIX + storeName(vendor);
    Bytes record = store.update(storeKey, current -> current.orElseGet(() -> encode(issueIntermediate(r, vendor))));
    Material m = decode(storeKey, record);
    if (!issuedBy(m.certificate(), r)) {
      throw corrupt(storeKey, "not issued by this CA's root");
    }
    store.update(
        VENDORS_KEY,
        current -> {
          List<String> vendors = new ArrayList<>(readVendors(current));
          if (!vendors.contains(vendor)) {
            vendors.add(vendor);
          }
          return CborEncoder.encodeBytes(List.copyOf(vendors));
        });
    intermediates.put(vendor, m);
    return m;
  }

  private static List<String> readVendors(Optional<Bytes> record) {
    if (record.isEmpty()) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      for (Object o : (List<?>) CborDecoder.decode(record.get().unsafeArray())) {
        out.add((String) o);
      }
      return List.copyOf(out);
    } catch (RuntimeException e) {
      throw corrupt(VENDORS_KEY, "malformed record");
    }
  }

  private Material issueIntermediate(Material r, String vendor) {
    RandomSource random = randomFor.apply("intermediate " + vendor);
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    SubjectPublicKeyInfo spki = subjectPublicKeyInfo(key);
    boolean own = vendor.equals(SOFTKEY_VENDOR);
    X500NameBuilder nb =
        new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, COUNTRY).addRDN(BCStyle.O, ORGANIZATION);
    if (!own) {
      nb.addRDN(BCStyle.OU, truncate(vendor + " models", MAX_ORGANIZATIONAL_UNIT));
    }
    nb.addRDN(BCStyle.CN, truncate(own ? "softkey Attestation CA" : "softkey " + vendor + " Attestation CA", MAX_COMMON_NAME));
    Instant notBefore = notBefore();
    Instant notAfter = min(plusYears(notBefore, INTERMEDIATE_VALIDITY_YEARS), r.certificate().getNotAfter().toInstant());
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            r.certificate().getSubject(), serialNumber(random), Date.from(notBefore), Date.from(notAfter), nb.build(), spki);
    // RFC 5280 section 4.2.1.9: a CA; pathLen 0: only end-entity certificates below it.
    addExtension(b, Extension.basicConstraints, true, new BasicConstraints(0));
    addExtension(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    addExtension(
        b, Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(r.certificate().getSubjectPublicKeyInfo()));
    return new Material(key, b.build(signer(r.key())));
  }

  // ---- batch ----

  /**
   * A batch or enterprise certificate per WebAuthn L3 section 8.2.1 "Packed Attestation Statement
   * Certificate Requirements"; the latter has a serialNumber in its Subject.
   */
  private Material issueLeaf(
      Material issuer, Profile profile, String commonName, Optional<String> deviceSerial, RandomSource random) {
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
    Instant notAfter = min(plusYears(notBefore, BATCH_VALIDITY_YEARS), issuer.certificate().getNotAfter().toInstant());
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    // 2. Version 3 (X509v3CertificateBuilder always writes v3).
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            issuer.certificate().getSubject(),
            serialNumber(random),
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
        ext.createAuthorityKeyIdentifier(issuer.certificate().getSubjectPublicKeyInfo()));
    // 4. id-fido-gen-ce-aaguid, not critical: extnValue wraps an OCTET STRING holding the AAGUID.
    addExtension(b, AAGUID_OID, false, new DEROctetString(Bytes.fromUuid(profile.identity().aaguid()).toArray()));
    // FIDO U2F Authenticator Transports Extension, when the profile names a transport it knows.
    Optional<DERBitString> transports = transportsBits(profile.getInfo().transports());
    if (transports.isPresent()) {
      addExtension(b, TRANSPORTS_OID, false, transports.get());
    }
    return new Material(key, b.build(signer(issuer.key())));
  }

  private Material issueMetadataSigner(Material r) {
    RandomSource random = randomFor.apply("metadata signer");
    CredentialKey key = CredentialKey.generate(CoseAlgorithm.ES256, random);
    SubjectPublicKeyInfo spki = subjectPublicKeyInfo(key);
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.C, COUNTRY)
            .addRDN(BCStyle.O, ORGANIZATION)
            .addRDN(BCStyle.OU, "Metadata")
            .addRDN(BCStyle.CN, METADATA_SIGNER_COMMON_NAME)
            .build();
    Instant notBefore = notBefore();
    Instant notAfter = min(plusYears(notBefore, BATCH_VALIDITY_YEARS), r.certificate().getNotAfter().toInstant());
    BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            r.certificate().getSubject(), serialNumber(random), Date.from(notBefore), Date.from(notAfter), subject, spki);
    addExtension(b, Extension.basicConstraints, true, new BasicConstraints(false));
    addExtension(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    addExtension(b, Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
    addExtension(
        b, Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(r.certificate().getSubjectPublicKeyInfo()));
    return new Material(key, b.build(signer(r.key())));
  }

  /** Whether {@code cert} names {@code issuer} as its issuer, by name and key identifier. */
  private static boolean issuedBy(X509CertificateHolder cert, Material issuer) {
    AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(cert.getExtensions());
    SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(issuer.certificate().getExtensions());
    return aki != null
        && ski != null
        && aki.getKeyIdentifierObject() != null
        && Arrays.equals(aki.getKeyIdentifierObject().getOctets(), ski.getKeyIdentifier())
        && cert.getIssuer().equals(issuer.certificate().getSubject());
  }

  /** Whether a stored batch certificate still belongs to this issuer and profile. */
  private static boolean fits(X509CertificateHolder cert, Material issuer, Profile profile) {
    if (!issuedBy(cert, issuer)) {
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
    String vendor = profile.identity().vendor();
    String cn = vendor.equals(SOFTKEY_VENDOR)
        ? "softkey Batch Attestation " + profile.id()
        : "softkey " + vendor + " Batch " + profile.id();
    return truncate(cn, MAX_COMMON_NAME);
  }

  private static String enterpriseCommonName(Profile profile) {
    return truncate("softkey Enterprise Attestation " + profile.id(), MAX_COMMON_NAME);
  }

  private static String newDeviceSerial(RandomSource random) {
    return java.util.HexFormat.of().withUpperCase().formatHex(random.bytes(8));
  }

  private static Optional<String> serialOf(X509CertificateHolder cert) {
    var rdns = cert.getSubject().getRDNs(BCStyle.SERIALNUMBER);
    if (rdns.length != 1) {
      return Optional.empty();
    }
    return Optional.of(rdns[0].getFirst().getValue().toString());
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

  // ---- CRLs ----

  /** The current CRL of the CA {@code ca}, reissued past half its validity. */
  private Bytes crl(String name, Material ca) {
    String storeKey = CRL_KEY_PREFIX + name;
    Instant now = clock.instant();
    Bytes cached = crls.get(storeKey);
    if (cached != null && current(parseCrl(storeKey, cached), ca, now)) {
      return cached;
    }
    Bytes record =
        store.update(
            storeKey,
            stored -> {
              Optional<X509CRLHolder> old = stored.map(s -> parseCrl(storeKey, decodeCrl(storeKey, s)));
              if (old.isPresent() && current(old.get(), ca, now)) {
                return stored.get();
              }
              BigInteger number =
                  old.map(AttestationCa::crlNumber).map(n -> n.add(BigInteger.ONE)).orElse(BigInteger.ONE);
              return encodeCrl(issueCrl(ca, number, now));
            });
    Bytes der = decodeCrl(storeKey, record);
    crls.put(storeKey, der);
    return der;
  }

  /** Issued by {@code ca} and read before half its validity (and not dated in the future). */
  private static boolean current(X509CRLHolder crl, Material ca, Instant now) {
    if (!crl.getIssuer().equals(ca.certificate().getSubject()) || crl.getNextUpdate() == null) {
      return false;
    }
    AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(crl.getExtensions());
    SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(ca.certificate().getExtensions());
    if (aki == null || ski == null || aki.getKeyIdentifierObject() == null
        || !Arrays.equals(aki.getKeyIdentifierObject().getOctets(), ski.getKeyIdentifier())) {
      return false;
    }
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Instant nextUpdate = crl.getNextUpdate().toInstant();
    Instant half = thisUpdate.plus(Duration.between(thisUpdate, nextUpdate).dividedBy(2));
    return !now.isBefore(thisUpdate) && now.isBefore(half);
  }

  private static BigInteger crlNumber(X509CRLHolder crl) {
    Extension e = crl.getExtension(Extension.cRLNumber);
    return e == null ? BigInteger.ZERO : CRLNumber.getInstance(e.getParsedValue()).getCRLNumber();
  }

  /** RFC 5280 section 5.1: v2, issuer, thisUpdate, nextUpdate, no entries; cRLNumber and AKI. */
  private static Bytes issueCrl(Material ca, BigInteger number, Instant now) {
    Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS).minus(CRL_BACKDATE);
    X509v2CRLBuilder b = new X509v2CRLBuilder(ca.certificate().getSubject(), Date.from(thisUpdate));
    b.setNextUpdate(Date.from(thisUpdate.plus(CRL_VALIDITY)));
    try {
      // Section 5.2.1: AKI (conforming CAs MUST include it); 5.2.3: cRLNumber (MUST), not critical.
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new BcX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate().getSubjectPublicKeyInfo()));
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      return Bytes.wrap(b.build(signer(ca.key())).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a CRL", e);
    }
  }

  private static Bytes encodeCrl(Bytes der) {
    Map<Object, Object> record = new LinkedHashMap<>();
    record.put(KEY_VERSION, RECORD_VERSION);
    record.put(KEY_CRL, der);
    return CborEncoder.encodeBytes(record);
  }

  private static Bytes decodeCrl(String storeKey, Bytes record) {
    try {
      CborMap map = CborDecoder.decodeMap(record.unsafeArray());
      if (map.longValue(KEY_VERSION) != RECORD_VERSION) {
        throw corrupt(storeKey, "unsupported record version");
      }
      return map.bytes(KEY_CRL);
    } catch (CtapException | IllegalArgumentException e) {
      if (e instanceof CtapException c && c.status() == CtapStatus.CTAP1_ERR_OTHER) {
        throw c;
      }
      throw corrupt(storeKey, "malformed record");
    }
  }

  private static X509CRLHolder parseCrl(String storeKey, Bytes der) {
    try {
      return new X509CRLHolder(der.toArray());
    } catch (IOException | RuntimeException e) {
      throw corrupt(storeKey, "malformed CRL");
    }
  }

  // ---- shared ----

  private Instant notBefore() {
    return fixedNotBefore.orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE));
  }

  private static Instant plusYears(Instant t, int years) {
    return t.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isAfter(b) ? b : a;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /**
   * A positive 16-byte serial number from the RandomSource (RFC 5280 section 4.1.2.2: at most 20
   * octets).
   */
  private static BigInteger serialNumber(RandomSource random) {
    byte[] s = random.bytes(SERIAL_LENGTH);
    s[0] = (byte) ((s[0] & 0x7F) | 0x40);
    return new BigInteger(1, s);
  }

  private static SubjectPublicKeyInfo subjectPublicKeyInfo(CredentialKey key) {
    // Named curve (secp256r1), uncompressed point: the form RPs and the FIDO MDS expect.
    return new SubjectPublicKeyInfo(EC_P256, key.uncompressedEcPoint().toArray());
  }

  /** Adds a certificate extension; an encoding failure is a bug, not input (used by the CA's other issuers too). */
  static void addExtension(
      X509v3CertificateBuilder b, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      b.addExtension(oid, critical, value);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode certificate extension " + oid, e);
    }
  }

  /** ecdsa-with-SHA256 through CredentialKey: deterministic nonces (RFC 6979); every issuer of the CA signs with it. */
  static ContentSigner signer(CredentialKey key) {
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
