package org.pont.cda;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared public test documents (ANS CI-SIS examples and schematrons from
 * ansforge/TestContenuCDA-3-0 @ 7cd489b), found through the {@code pont.testdata} property.
 */
final class TestData {
  private TestData() {}

  static Path root() {
    String dir = System.getProperty("pont.testdata");
    if (dir == null || !Files.isDirectory(Path.of(dir, "cda"))) {
      fail("shared test data not found: set -Dpont.testdata to the folder holding cda/ (got " + dir + ")");
    }
    return Path.of(dir);
  }

  static Path schematrons() {
    return root().resolve("cda/schematrons");
  }

  static byte[] cda(String name) {
    try {
      return Files.readAllBytes(root().resolve("cda").resolve(name));
    } catch (IOException e) {
      throw new AssertionError("cannot read shared sample " + name, e);
    }
  }
}
