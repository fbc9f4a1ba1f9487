package org.pont.smime;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent S/MIME implementations the interop tests check Pont against (openssl,
 * gpgsm): a time limit on every run, stdout and stderr captured in files (no pipe can fill up and
 * block), and stderr in every assertion message. A missing tool fails the test: the interop proof
 * must not quietly disappear from a machine that lacks it ({@code ./pont test} installs them).
 */
final class ExternalTool {
  private static final long TIMEOUT_SECONDS = 20;

  /** What a finished run left: exit code, stdout bytes, stderr text, and the command line. */
  record Result(List<String> command, int exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    String describe() {
      return String.join(" ", command) + "\n  exit code " + exitCode + "\n  stderr: " + stderr.strip();
    }
  }

  private final String program;
  private final Map<String, String> environment;

  private ExternalTool(String program, Map<String, String> environment) {
    this.program = program;
    this.environment = Map.copyOf(environment);
  }

  /** The tool on the PATH; the test fails (it is not skipped) when it is absent. */
  static ExternalTool require(String program, String versionFlag) {
    return require(program, versionFlag, Map.of());
  }

  static ExternalTool require(String program, String versionFlag, Map<String, String> environment) {
    ExternalTool tool = new ExternalTool(program, environment);
    Result r;
    try {
      r = tool.run(versionFlag);
    } catch (AssertionError e) {
      throw new AssertionError(program + " is needed by the interoperability tests but cannot be run ("
          + e.getMessage() + "): install it (Debian/Ubuntu: apt-get install " + program
          + ") or run the suite with ./pont test, which installs it", e);
    }
    if (r.exitCode() != 0) {
      fail(program + " " + versionFlag + " failed: " + r.describe());
    }
    return tool;
  }

  /** Runs the tool and returns whatever happened (for tests that document a failure of the tool). */
  Result runWithInput(byte[] stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(program);
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    Process p = null;
    try {
      out = Files.createTempFile("pont-tool-", ".out");
      err = Files.createTempFile("pont-tool-", ".err");
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(nullDevice()) : ProcessBuilder.Redirect.PIPE);
      pb.environment().putAll(environment);
      p = pb.start();
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin);
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s; stderr so far: "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(command, p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs the tool and fails the test, with its stderr, unless it exits with 0. */
  Result succeedWithInput(byte[] stdin, String... args) {
    Result r = runWithInput(stdin, args);
    if (r.exitCode() != 0) {
      fail("expected success from " + r.describe());
    }
    return r;
  }

  Result succeed(String... args) {
    return succeedWithInput(null, args);
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
