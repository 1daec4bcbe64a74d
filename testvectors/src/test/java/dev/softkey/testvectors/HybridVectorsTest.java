package dev.softkey.testvectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HybridVectorsTest {
  @Test
  void everyFileNamesItsSourceAndHasUniqueRowNames() {
    for (String file : HybridVectors.FILES) {
      VectorTable t = VectorTable.load(file);
      assertThat(t.source()).as(file).isNotBlank();
      assertThat(t.rows()).as(file).isNotEmpty();
      assertThat(HybridVectors.rowsByName(file.substring("hybrid/".length()))).hasSize(t.rows().size());
    }
  }

  @Test
  void rowsKeepEmptyColumns() {
    assertThat(HybridVectors.rowsByName("digits.tsv").get("zero-bytes-0")).containsExactly("zero-bytes-0", "", "", "ok", "WRS");
  }
}
