package io.audiosockets.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The {@code audiosockets} command run in this JVM through {@link Main#run}, with its stdout and
 * stderr captured.
 *
 * @param status the exit status
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record CliRun(int status, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }
}
