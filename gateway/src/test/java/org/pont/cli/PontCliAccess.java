package org.pont.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs the {@code pont} command line in-process, for tests outside this package. */
public final class PontCliAccess {
  private PontCliAccess() {}

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = PontCli.commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }
}
