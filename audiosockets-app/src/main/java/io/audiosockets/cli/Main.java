package io.audiosockets.cli;

import io.audiosockets.client.MailmanException;
import io.audiosockets.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code audiosockets} command: {@code server}, {@code record}, {@code process},
 * {@code demo}, {@code devices}, the load tool {@code bench} and the {@code fuzz} campaign. Data
 * lines go to stdout, logs to stderr.
 *
 * <p>Exit status: 0 done, 1 refused by the mailman or failed while running, 2 bad usage or
 * configuration (the message names the flag, or the file and the key).
 */
@Command(name = "audiosockets", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Real-time, distributed processing of live audio: a recorder streams chunks to a mailman, "
                + "which relays every chunk to any number of processors.",
        subcommands = {ServerCommand.class, RecordCommand.class, ProcessCommand.class, BridgeCommand.class, DemoCommand.class, StatusCommand.class, DevicesCommand.class,
            BenchCommand.class, FuzzCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    private Main() {
    }

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command with {@code out} for data lines and {@code err} for errors and usage; the
     * entry point for tests.
     *
     * @return the exit status
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(new UsageErrors(cli.getParameterExceptionHandler()));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException || cause instanceof UncheckedIOException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            PrintWriter errors = commandLine.getErr();
            errors.println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(cause));
            int status = 1;
            if (cause instanceof ConfigException || cause instanceof IllegalArgumentException) {
                status = 2;
            } else if (!(cause instanceof MailmanException || cause instanceof IOException || cause instanceof UncheckedIOException)) {
                // Not a condition we foresaw: the trace is what a bug report needs.
                cause.printStackTrace(errors);
            }
            errors.flush();
            return status;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable t) {
        // A file-system exception's message is often only the path: its type says what happened.
        if (t instanceof FileSystemException || t.getMessage() == null) {
            return t.toString();
        }
        return t.getMessage();
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"audiosockets " + (v == null ? "(development build)" : v) + ", wire protocol version 1, Java "
                    + Runtime.version()};
        }
    }
}
