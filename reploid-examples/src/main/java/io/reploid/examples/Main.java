package io.reploid.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The entry point of {@code reploid-examples.jar}: {@code java -jar reploid-examples.jar COMMAND ...}.
 * Commands write results to stdout and logs to stderr. Not thread-safe.
 */
@Command(name = "reploid-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Reploid examples: a gateway, the TestService, a client, a load generator, a demo cluster, the balancing simulator.",
        subcommands = {
                GatewayCommand.class,
                ServiceCommand.class,
                TestClient.class,
                LoadCommand.class,
                DemoCommand.class,
                AppCommand.class,
                SimulateCommand.class,
                PinMemoryCommand.class,
                FailoverBenchCommand.class,
                MigrationBenchCommand.class,
                ScaleBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    /** Runs a command and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with every subcommand. Errors that reject a setting (bad port, unknown balancer,
     * port in use) are printed as one line on stderr with exit code 2; other failures with their stack trace.
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            } else {
                cmd.getErr().println(cmd.getCommandName() + ": " + e);
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return 2;
        });
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command (expected one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** The project version, from a resource filtered by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"reploid-examples " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
