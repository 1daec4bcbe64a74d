package dev.softkey.metadata;

import dev.softkey.core.attestation.AttestationCa;
import dev.softkey.ctap.model.Bytes;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code softkey mds serve} publishes for one installation: the current BLOB (exported on
 * first request, re-exported with the next {@code no} on {@link #reexport()}), the CA's root and
 * its current CRLs.
 */
public final class PublishedMetadata implements MetadataServer.Content {
  private final AttestationCa ca;
  private final MetadataBlob blob;
  private final MetadataBlob.Options options;
  private MetadataBlob.Export current;

  public PublishedMetadata(AttestationCa ca, MetadataBlob blob, MetadataBlob.Options options) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.blob = Objects.requireNonNull(blob, "blob");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The current export (made now if there is none). */
  public synchronized MetadataBlob.Export current() {
    if (current == null) {
      current = blob.export(options);
    }
    return current;
  }

  @Override
  public String blob() {
    return current().jwt();
  }

  @Override
  public synchronized String reexport() {
    current = blob.export(options);
    return current.jwt();
  }

  @Override
  public Bytes rootCertificate() {
    return ca.rootCertificate();
  }

  /**
   * The CRLs of the root and of every vendor intermediate, the intermediates of the published
   * models made first, so that an RP that downloads them has one for every CA in a model's chain.
   */
  @Override
  public Map<String, Bytes> crls() {
    MetadataStatements.publishedProfiles().forEach(p -> ca.intermediateCertificate(p.identity().vendor()));
    return MetadataServer.crlNames(ca.crls(), ca.rootCertificate());
  }
}
