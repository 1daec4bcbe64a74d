package dev.softkey.cli;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.metadata.MetadataBlob;
import dev.softkey.metadata.MetadataStatements;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What an MDS3 BLOB says beyond the models, shared by {@code mds export} and {@code mds serve}: the
 * legal header, nextUpdate, the status switches, the JWS algorithm. With {@code --seed} the BLOB's
 * date is {@link AttestationCa#SEEDED_NOT_BEFORE} (as the seeded CA's certificates) and nextUpdate
 * 30 years on (the root's validity), so a fresh CA directory gives byte-identical BLOBs.
 */
final class MdsOptions {
  @Option(names = "--legal-header", paramLabel = "TEXT",
      description = "The BLOB's and each statement's legalHeader (RPs such as Yubico's compare it with the one they expect)."
          + " Default: a line saying this is softkey's test metadata, not the FIDO Alliance's.")
  String legalHeader = MetadataStatements.DEFAULT_LEGAL_HEADER;

  @Option(names = "--next-update", paramLabel = "YYYY-MM-DD",
      description = "The BLOB's nextUpdate. Default: 30 days after today (with --seed: 2055-01-01, fixed).")
  String nextUpdate;

  @Option(names = "--revoked", paramLabel = "ID",
      description = "Give the model (a built-in profile ID) a REVOKED status report: RPs then refuse its attestation. Repeatable. Default: none.")
  List<String> revoked = new ArrayList<>();

  @Option(names = "--not-certified", paramLabel = "ID",
      description = "Give the model only a NOT_FIDO_CERTIFIED status report instead of FIDO_CERTIFIED_L1. Repeatable. Default: none.")
  List<String> notCertified = new ArrayList<>();

  @Option(names = "--omit", paramLabel = "ID",
      description = "Leave the model out of the BLOB (and out of --statements): its AAGUID is unknown to the RP. Repeatable. Default: none.")
  List<String> omit = new ArrayList<>();

  @Option(names = "--alg", paramLabel = "RS256|ES256",
      description = "The BLOB's JWS algorithm: RS256 (as the FIDO Alliance's BLOB; every RP library verifies it) or ES256"
          + " (raw r||s as RFC 7518 says; Yubico java-webauthn-server 2.9 rejects it). Default: ${DEFAULT-VALUE}.")
  String alg = "RS256";

  MetadataBlob.Options options(OptionalLong seed) {
    Optional<LocalDate> next = Optional.empty();
    if (nextUpdate != null) {
      try {
        next = Optional.of(LocalDate.parse(nextUpdate));
      } catch (DateTimeParseException e) {
        throw new UsageException("--next-update must be a date as YYYY-MM-DD, not '" + nextUpdate + "'");
      }
    } else if (seed.isPresent()) {
      next = Optional.of(LocalDate.ofInstant(AttestationCa.SEEDED_NOT_BEFORE, ZoneOffset.UTC).plusYears(30));
    }
    return new MetadataBlob.Options(legalHeader, next, Set.copyOf(revoked), Set.copyOf(notCertified), Set.copyOf(omit));
  }

  /** The BLOB's date: today, or with --seed the seeded CA's date. */
  static Clock clock(OptionalLong seed) {
    return seed.isPresent() ? Clock.fixed(AttestationCa.SEEDED_NOT_BEFORE, ZoneOffset.UTC) : Clock.systemUTC();
  }

  MetadataBlob blob(AttestationCa ca, OptionalLong seed) {
    if (!alg.equals("RS256") && !alg.equals("ES256")) {
      throw new UsageException("--alg must be RS256 or ES256, not " + alg);
    }
    return MetadataBlob.of(ca, alg, clock(seed));
  }
}
