package dev.softkey.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softkey.ctap.model.Bytes;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MetadataServer}: what each path answers. */
class MetadataServerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final TestInstallation inst = new TestInstallation(41);
  private final HttpClient http = HttpClient.newHttpClient();
  private MetadataServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private URI start(boolean fresh) throws Exception {
    server =
        MetadataServer.start(
            new InetSocketAddress("127.0.0.1", 0), Optional.empty(), new PublishedMetadata(inst.ca, inst.blob(), MetadataBlob.Options.defaults()), fresh);
    return server.baseUri();
  }

  private HttpResponse<byte[]> send(URI base, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static long no(byte[] jwt) throws Exception {
    return MAPPER.readTree(Base64.getUrlDecoder().decode(new String(jwt).split("\\.")[1])).path("no").asLong();
  }

  @Test
  void blobAtRootAndMdsJwt_sameUntilRefresh_thenTheNextNo() throws Exception {
    URI base = start(false);
    assertThat(base.toString()).startsWith("http://127.0.0.1:").endsWith("/");
    HttpResponse<byte[]> a = send(base, "GET", "/");
    assertThat(a.statusCode()).isEqualTo(200);
    assertThat(a.headers().firstValue("Content-Type")).contains("application/jwt");
    assertThat(send(base, "GET", "/mds.jwt").body()).isEqualTo(a.body());
    assertThat(no(a.body())).isEqualTo(1);

    HttpResponse<byte[]> refreshed = send(base, "POST", "/refresh");
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(no(refreshed.body())).isEqualTo(2);
    assertThat(no(send(base, "GET", "/mds.jwt").body())).isEqualTo(2);
  }

  @Test
  void fresh_reexportsOnEveryRequest() throws Exception {
    URI base = start(true);
    long first = no(send(base, "GET", "/mds.jwt").body());
    assertThat(no(send(base, "GET", "/mds.jwt").body())).isEqualTo(first + 1);
  }

  @Test
  void rootInPemAndDer_crlsByName() throws Exception {
    URI base = start(false);
    assertThat(Bytes.wrap(send(base, "GET", "/root.crt").body())).isEqualTo(inst.ca.rootCertificate());
    assertThat(new String(send(base, "GET", "/root.pem").body())).isEqualTo(inst.ca.rootCertificatePem());
    String index = new String(send(base, "GET", "/crl/").body());
    assertThat(index).startsWith("/crl/root.crl\n");
    assertThat(index.lines().count()).isEqualTo(inst.ca.crls().size()).isGreaterThan(1);
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (String path : index.split("\n")) {
      HttpResponse<byte[]> r = send(base, "GET", path);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/pkix-crl");
      X509CRL crl = (X509CRL) cf.generateCRL(new java.io.ByteArrayInputStream(r.body()));
      assertThat(crl.getNextUpdate()).isAfter(new java.util.Date());
    }
  }

  @Test
  void unknownPath_404_otherMethods_405_head_noBody() throws Exception {
    URI base = start(false);
    assertThat(send(base, "GET", "/nothing").statusCode()).isEqualTo(404);
    assertThat(send(base, "GET", "/crl/nothing.crl").statusCode()).isEqualTo(404);
    assertThat(send(base, "DELETE", "/mds.jwt").statusCode()).isEqualTo(405);
    assertThat(send(base, "GET", "/refresh").statusCode()).isEqualTo(405);
    HttpResponse<byte[]> head = send(base, "HEAD", "/mds.jwt");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
