package org.pont.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example embedders copy from {@code client-lib/README.md} compiles against this build: the
 * first {@code java} block is compiled as is, inside a method whose parameters stand for what the
 * example leaves to the application (its keys, the letter, a progress bar).
 */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleCompilesAgainstTheLibrary(@TempDir Path out) throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("a ```java block in client-lib/README.md").isTrue();
    String example = block.group(1);
    assertThat(example.lines().count()).as("the example stays short").isLessThanOrEqualTo(20);

    String source = """
        import java.nio.file.*;
        import java.security.cert.X509Certificate;
        import java.util.*;
        import jakarta.mail.internet.MimeMessage;
        import org.pont.client.*;
        import org.pont.index.*;
        import org.pont.smime.*;
        import org.pont.transport.*;

        class Example {
          interface Bar { void update(long done, long total); }

          void run(char[] password, SecureMessaging smime, MimeMessage letter, X509Certificate recipientCert, Bar bar)
              throws Exception {
        %s
          }
        }
        """.formatted(example);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Example.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    boolean ok = javac.getTask(null, null, diagnostics,
        List.of("--release", "17", "-classpath", System.getProperty("java.class.path"), "-d", out.toString()),
        null, List.of(file)).call();

    assertThat(ok).as("javac: %s", diagnostics.getDiagnostics()).isTrue();
  }
}
