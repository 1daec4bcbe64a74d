package dev.softkey.core.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softkey.core.store.MemoryStore;
import dev.softkey.ctap.model.Bytes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The RS256 metadata signer and the TLS server certificate the root issues for {@code softkey mds}. */
class MetadataRsaSignerTest {
  static X509Certificate cert(Bytes der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der.toArray()));
  }

  @Nested
  class Rs256Signer {
    @Test
    void issuedByTheRoot_signsRs256_andIsKeptInTheCaStore() throws Exception {
      MemoryStore store = new MemoryStore();
      AttestationCa ca = AttestationCa.seeded(store, 5, Clock.systemUTC());
      MetadataRsaSigner s = ca.metadataSignerRs256();
      X509Certificate c = cert(s.certificate());
      c.verify(cert(ca.rootCertificate()).getPublicKey());
      assertThat(c.getBasicConstraints()).isEqualTo(-1);
      assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
      assertThat(c.getSubjectX500Principal().getName()).contains("CN=softkey Metadata BLOB Signer RS256");
      assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("RSA");
      assertThat(store.get(MetadataRsaSigner.STORE_KEY)).isPresent();

      byte[] msg = "header.payload".getBytes(StandardCharsets.US_ASCII);
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(c.getPublicKey());
      v.update(msg);
      assertThat(v.verify(s.sign(msg).toArray())).isTrue();

      // a later process over the same store gets the same signer
      assertThat(AttestationCa.open(store, dev.softkey.ctap.crypto.RandomSource.secure(), Clock.systemUTC()).metadataSignerRs256().certificate())
          .isEqualTo(s.certificate());
      assertThat(s.chain()).containsExactly(s.certificate());
      assertThat(s.toString()).doesNotContain(s.certificate().toString());
    }

    @Test
    void seeded_sameSeedSameCertificate() {
      Bytes a = AttestationCa.seeded(new MemoryStore(), 9, Clock.systemUTC()).metadataSignerRs256().certificate();
      Bytes b = AttestationCa.seeded(new MemoryStore(), 9, Clock.systemUTC()).metadataSignerRs256().certificate();
      assertThat(a).isEqualTo(b);
    }
  }

  @Nested
  class TlsServer {
    @Test
    void serverAuthForEachHost_issuedByTheRoot() throws Exception {
      AttestationCa ca = AttestationCa.seeded(new MemoryStore(), 6, Clock.systemUTC());
      TlsServerCertificate t = ca.tlsServer(List.of("localhost", "127.0.0.1"));
      X509Certificate c = cert(t.chain().get(0));
      c.verify(cert(ca.rootCertificate()).getPublicKey());
      c.checkValidity();
      assertThat(t.chain().get(1)).isEqualTo(ca.rootCertificate());
      assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
      assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
      assertThat(c.getBasicConstraints()).isEqualTo(-1);
      assertThat(t.privateKey().getAlgorithm()).isEqualTo("EC");
      assertThat(t.toString()).isEqualTo("TlsServerCertificate");
    }
  }
}
