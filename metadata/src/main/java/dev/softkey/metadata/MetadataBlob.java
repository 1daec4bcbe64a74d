package dev.softkey.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.core.attestation.MetadataRsaSigner;
import dev.softkey.core.profile.Profile;
import dev.softkey.core.store.DeviceStateStore;
import dev.softkey.ctap.cbor.CborDecoder;
import dev.softkey.ctap.cbor.CborEncoder;
import dev.softkey.ctap.cbor.CborMap;
import dev.softkey.ctap.model.Bytes;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The FIDO Metadata Service 3.0 BLOB (FIDO MDS, Proposed Standard 2021-05-18, section 3.1.6):
 *
 * <pre>
 * {legalHeader, no, nextUpdate: "YYYY-MM-DD",
 *  entries: [{aaguid, metadataStatement, statusReports: [{status, effectiveDate}], timeOfLastStatusChange}]}
 * </pre>
 *
 * signed as a compact JWS ({@link Jws}, RS256 by default as the FIDO Alliance's BLOB, or ES256) by
 * the attestation CA's metadata signer, its x5c the signer's chain under softkey's root.
 *
 * <p>Each published model's entry reports FIDO_CERTIFIED_L1 and FIDO_CERTIFIED (the pair every
 * certified entry of the real BLOB carries), effective today. Switches for negative tests: a
 * REVOKED model keeps those and gets a REVOKED report; a NOT_FIDO_CERTIFIED model has only that
 * report; an omitted model has no entry.
 *
 * <p>{@code no} (section 3.1.6: "serial number of this BLOB", increasing) is kept in the CA's store
 * under {@value #COUNTER_KEY} as a CBOR map {1: version 1, 2: no}; each export writes the new value
 * there before it hands out the BLOB, so a BLOB is never issued twice with one number.
 */
public final class MetadataBlob {
  /** The CA store record holding the last BLOB's no. */
  public static final String COUNTER_KEY = "mds.no";

  /** nextUpdate unless told otherwise: this many days after the export's date. */
  public static final int DEFAULT_NEXT_UPDATE_DAYS = 30;

  private static final long RECORD_VERSION = 1;
  private static final long KEY_VERSION = 1; // version
  private static final long KEY_NO = 2; // no

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Bytes rootCertificate;
  private final Jws.Signer signer;
  private final DeviceStateStore counterStore;
  private final Clock clock;

  /**
   * What an export says beyond the models: the legal header, nextUpdate, the status switches (by
   * profile ID).
   */
  public record Options(
      String legalHeader, Optional<LocalDate> nextUpdate, Set<String> revoked, Set<String> notCertified, Set<String> omitted) {
    public Options {
      Objects.requireNonNull(legalHeader, "legalHeader");
      Objects.requireNonNull(nextUpdate, "nextUpdate");
      revoked = Set.copyOf(revoked);
      notCertified = Set.copyOf(notCertified);
      omitted = Set.copyOf(omitted);
    }

    /** The default legal header, nextUpdate 30 days on, every model FIDO_CERTIFIED_L1. */
    public static Options defaults() {
      return new Options(MetadataStatements.DEFAULT_LEGAL_HEADER, Optional.empty(), Set.of(), Set.of(), Set.of());
    }

    public Options withRevoked(String... ids) {
      return new Options(legalHeader, nextUpdate, Set.of(ids), notCertified, omitted);
    }

    public Options withNotCertified(String... ids) {
      return new Options(legalHeader, nextUpdate, revoked, Set.of(ids), omitted);
    }

    public Options withOmitted(String... ids) {
      return new Options(legalHeader, nextUpdate, revoked, notCertified, Set.of(ids));
    }
  }

  /**
   * One exported BLOB.
   *
   * @param no its serial number
   * @param payload the payload JSON
   * @param jwt the signed BLOB (compact JWS), what {@code mds export} writes and RPs download
   * @param statements the metadata statements in it, for the plain statement files
   */
  public record Export(long no, LocalDate nextUpdate, ObjectNode payload, String jwt, List<ObjectNode> statements) {
    public Export {
      statements = List.copyOf(statements);
    }
  }

  /**
   * @param rootCertificate softkey's root (DER), the statements' attestationRootCertificates
   * @param signer the metadata signer and its x5c chain (RS256: {@code
   *     AttestationCa.metadataSignerRs256()}; ES256: {@code AttestationCa.metadataSigner()} with
   *     {@code metadataSignerChain()})
   * @param counterStore where {@value #COUNTER_KEY} lives ({@code AttestationCa.store()})
   * @param clock the export's date
   */
  public MetadataBlob(Bytes rootCertificate, Jws.Signer signer, DeviceStateStore counterStore, Clock clock) {
    this.rootCertificate = Objects.requireNonNull(rootCertificate, "rootCertificate");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.counterStore = Objects.requireNonNull(counterStore, "counterStore");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The BLOB of an installation's CA: its root, its metadata signer for {@code alg} ("RS256", the
   * default, or "ES256"), its store for {@value #COUNTER_KEY}.
   */
  public static MetadataBlob of(AttestationCa ca, String alg, Clock clock) {
    Jws.Signer signer =
        switch (alg) {
          case "RS256" -> {
            MetadataRsaSigner s = ca.metadataSignerRs256();
            yield Jws.Signer.rs256(s::sign, s.chain());
          }
          case "ES256" -> Jws.Signer.es256(ca.metadataSigner()::sign, ca.metadataSignerChain());
          default -> throw new IllegalArgumentException("the BLOB's JWS alg must be RS256 or ES256, not " + alg);
        };
    return new MetadataBlob(ca.rootCertificate(), signer, ca.store(), clock);
  }

  /**
   * Builds, numbers and signs a BLOB. Throws IllegalArgumentException for a switch that names no
   * published model, or a nextUpdate before the export's date.
   */
  public synchronized Export export(Options options) {
    List<Profile> models = MetadataStatements.publishedModels();
    List<Profile> profiles = MetadataStatements.onePerAaguid(models);
    // A switch may name any published model; it applies to its AAGUID's entry, which a model
    // sharing the AAGUID may speak for (MetadataStatements.publishedProfiles).
    Map<String, java.util.UUID> aaguidOf = new java.util.TreeMap<>();
    models.forEach(p -> aaguidOf.put(p.id(), p.identity().aaguid()));
    Set<java.util.UUID> revoked = aaguids("--revoked", options.revoked(), aaguidOf);
    Set<java.util.UUID> notCertified = aaguids("--not-certified", options.notCertified(), aaguidOf);
    Set<java.util.UUID> omitted = aaguids("--omit", options.omitted(), aaguidOf);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    LocalDate nextUpdate = options.nextUpdate().orElse(today.plusDays(DEFAULT_NEXT_UPDATE_DAYS));
    if (nextUpdate.isBefore(today)) {
      throw new IllegalArgumentException("nextUpdate " + nextUpdate + " is before today (" + today + "); give a later --next-update");
    }
    MetadataStatements statements = new MetadataStatements(rootCertificate, options.legalHeader());
    List<ObjectNode> written = new ArrayList<>();
    ArrayNode entries = JSON.arrayNode();
    for (Profile p : profiles) {
      java.util.UUID aaguid = p.identity().aaguid();
      if (omitted.contains(aaguid)) {
        continue;
      }
      ObjectNode statement = statements.statement(p);
      written.add(statement);
      ObjectNode entry = entries.addObject();
      entry.put("aaguid", p.identity().aaguid().toString());
      entry.set("metadataStatement", statement);
      ArrayNode reports = entry.putArray("statusReports");
      if (notCertified.contains(aaguid)) {
        report(reports, "NOT_FIDO_CERTIFIED", today);
      } else {
        if (revoked.contains(aaguid)) {
          report(reports, "REVOKED", today);
        }
        report(reports, "FIDO_CERTIFIED_L1", today);
        report(reports, "FIDO_CERTIFIED", today);
      }
      entry.put("timeOfLastStatusChange", today.toString());
    }
    long no = nextNumber();
    ObjectNode payload = JSON.objectNode();
    payload.put("legalHeader", options.legalHeader());
    payload.put("no", no);
    payload.put("nextUpdate", nextUpdate.toString());
    payload.set("entries", entries);
    byte[] payloadBytes;
    try {
      payloadBytes = MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the BLOB payload", e);
    }
    String jwt = Jws.sign(payloadBytes, signer);
    return new Export(no, nextUpdate, payload, jwt, written);
  }

  /** The last exported BLOB's no, 0 before the first. */
  public long lastNumber() {
    return counterStore.get(COUNTER_KEY).map(MetadataBlob::decodeNumber).orElse(0L);
  }

  private long nextNumber() {
    long no = lastNumber() + 1;
    Map<Object, Object> record = new LinkedHashMap<>();
    record.put(KEY_VERSION, RECORD_VERSION);
    record.put(KEY_NO, no);
    counterStore.put(COUNTER_KEY, CborEncoder.encodeBytes(record));
    return no;
  }

  private static long decodeNumber(Bytes record) {
    CborMap m;
    try {
      m = CborDecoder.decodeMap(record.toArray());
    } catch (RuntimeException e) {
      throw new IllegalStateException("CA store record " + COUNTER_KEY + " is malformed");
    }
    if (m.optLong(KEY_VERSION).orElse(-1L) != RECORD_VERSION || m.optLong(KEY_NO).isEmpty()) {
      throw new IllegalStateException("CA store record " + COUNTER_KEY + " has an unsupported version");
    }
    return m.longValue(KEY_NO);
  }

  private static void report(ArrayNode reports, String status, LocalDate date) {
    reports.addObject().put("status", status).put("effectiveDate", date.toString());
  }

  private static Set<java.util.UUID> aaguids(String option, Set<String> named, Map<String, java.util.UUID> aaguidOf) {
    Set<java.util.UUID> out = new java.util.HashSet<>();
    for (String id : named) {
      java.util.UUID aaguid = aaguidOf.get(id);
      if (aaguid == null) {
        throw new IllegalArgumentException(
            option + " " + id + " names no published model; the models are " + String.join(", ", aaguidOf.keySet()));
      }
      out.add(aaguid);
    }
    return out;
  }
}
