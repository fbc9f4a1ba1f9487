package org.pont.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pont} command-line tool: one entry point over the same code embedders use. */
@Command(
    name = "pont",
    mixinStandardHelpOptions = true,
    versionProvider = PontCli.Version.class,
    description = "Pont: secure health messaging (MSSanté-style) gateway and tools.",
    subcommands = {
      CommandLine.HelpCommand.class,
      PkiCommands.class,
      SmimeCommands.Sign.class,
      SmimeCommands.Encrypt.class,
      SmimeCommands.Decrypt.class,
      SmimeCommands.Verify.class,
      CdaCommands.class,
      XdmCommands.class,
      DirectoryCommands.class,
      UpCommand.class,
      TokenCommands.class,
      WhitelistCommands.class,
      MailCommands.Send.class,
      MailCommands.Sync.class,
      MailCommands.Search.class,
    })
public final class PontCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests drive it directly. */
  public static CommandLine commandLine() {
    return new CommandLine(new PontCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PontCli.class.getPackage().getImplementationVersion();
      return new String[] {"pont " + (v == null ? "development build" : v)};
    }
  }
}
