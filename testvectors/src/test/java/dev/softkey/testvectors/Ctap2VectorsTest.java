package dev.softkey.testvectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ctap2VectorsTest {
  @Test
  void everyFileNamesItsSourceAndHasUniqueRowNamesAndHexMessages() {
    for (String file : Ctap2Vectors.FILES) {
      VectorTable t = Ctap2Vectors.table(file);
      assertThat(t.source()).as(file).isNotBlank();
      assertThat(t.rows()).as(file).isNotEmpty();
      assertThat(Ctap2Vectors.rowsByName(file)).as(file).hasSize(t.rows().size());
      for (var row : t.rows()) {
        assertThat(row).as("%s %s", file, row.get(0)).hasSize(4);
        assertThat(Ctap2Vectors.message(file, row.get(0))).as("%s %s", file, row.get(0)).isNotEmpty();
      }
    }
  }

  @Test
  void sourcesNameTheLibraries() {
    assertThat(Ctap2Vectors.table(Ctap2Vectors.PYTHON_FIDO2_REQUESTS).source()).contains("python-fido2 0.9.1");
    assertThat(Ctap2Vectors.table(Ctap2Vectors.LIBFIDO2_RESPONSES).source()).contains("libfido2").contains("wiredata_fido2.h");
  }

  @Test
  void message_isTheThirdColumnAndTheTokenIsAHeader() {
    assertThat(Hex.encode(Ctap2Vectors.message(Ctap2Vectors.PYTHON_FIDO2_REQUESTS, "bio-get-modality"))).isEqualTo("09a106f5");
    assertThat(Ctap2Vectors.pythonFido2Token()).hasSize(32);
    assertThatThrownBy(() -> Ctap2Vectors.message(Ctap2Vectors.LIBFIDO2_RESPONSES, "nope")).isInstanceOf(IllegalArgumentException.class);
  }
}
