package dev.softkey.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softkey.platform.WebAuthnException.Name;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WebAuthn L3 section 5.1.3 steps 7 and 8: secure origin, RP ID from or within the origin. */
class CallerOriginTest {

  private static void assertSecurityError(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(WebAuthnException.class, e -> assertThat(e.name()).isEqualTo(Name.SecurityError));
  }

  @Nested
  class Origin {
    @Test
    void https_serializesWithoutPathAndDefaultPort() {
      assertThat(CallerOrigin.parse("https://Example.COM:443/login?x=1").serialize()).isEqualTo("https://example.com");
    }

    @Test
    void nonDefaultPort_isKept() {
      assertThat(CallerOrigin.parse("https://example.com:8443").serialize()).isEqualTo("https://example.com:8443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost", "http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:80"})
    void httpOnLoopback_isAllowedForDevelopment(String origin) {
      assertThat(CallerOrigin.parse(origin).scheme()).isEqualTo("http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "ftp://example.com", "example.com", "https://", "not a url", "file:///etc/passwd"})
    void insecureOrMalformedOrigins_areSecurityErrors(String origin) {
      assertSecurityError(() -> CallerOrigin.parse(origin));
    }

    @Test
    void idnHost_isPunycode() {
      assertThat(CallerOrigin.parse("https://bücher.example").host()).isEqualTo("xn--bcher-kva.example");
    }
  }

  @Nested
  class RpId {
    private final CallerOrigin login = CallerOrigin.parse("https://login.example.com");

    @Test
    void absent_defaultsToTheHost() {
      assertThat(login.rpId(Optional.empty())).isEqualTo("login.example.com");
    }

    @Test
    void equalToHost_isAccepted_caseInsensitively() {
      assertThat(login.rpId(Optional.of("Login.Example.com"))).isEqualTo("login.example.com");
    }

    @Test
    void registrableSuffix_isAccepted() {
      assertThat(login.rpId(Optional.of("example.com"))).isEqualTo("example.com");
    }

    @Test
    void singleLabelSuffix_isRefused_asThePublicSuffixSimplificationSays() {
      assertSecurityError(() -> login.rpId(Optional.of("com")));
    }

    @Test
    void suffixNotOnALabelBoundary_isRefused() {
      assertSecurityError(() -> login.rpId(Optional.of("ample.com")));
    }

    @Test
    void otherDomainOrSubdomainOfTheHost_isRefused() {
      assertSecurityError(() -> login.rpId(Optional.of("evil.com")));
      assertSecurityError(() -> login.rpId(Optional.of("a.login.example.com")));
      assertSecurityError(() -> login.rpId(Optional.of("")));
    }

    @Test
    void localhostSubdomain_mayUseLocalhost() {
      assertThat(CallerOrigin.parse("https://app.localhost").rpId(Optional.of("localhost"))).isEqualTo("localhost");
    }

    @Test
    void ipOrigin_mayOnlyNameItself() {
      CallerOrigin ip = CallerOrigin.parse("http://127.0.0.1:8080");
      assertThat(ip.rpId(Optional.empty())).isEqualTo("127.0.0.1");
      assertSecurityError(() -> ip.rpId(Optional.of("0.0.1")));
    }
  }
}
