package io.audiosockets.loadtest;

import io.audiosockets.internal.config.ConfigLoader;
import io.audiosockets.mailman.Mailman;
import java.nio.file.Path;

/**
 * What {@code audiosockets server -c FILE} does, for a mailman that a test of this module forks
 * through {@link MailmanTarget#forked} (the command line lives in a module that depends on this
 * one): reads the file, serves until SIGTERM.
 */
public final class ForkedMailmanMain {
    private ForkedMailmanMain() {
    }

    /** {@code server -c FILE}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 || !args[0].equals("server") || !args[1].equals("-c")) {
            throw new IllegalArgumentException("expected: server -c FILE, got " + String.join(" ", args));
        }
        Mailman mailman = new Mailman(ConfigLoader.load(Path.of(args[2]))).startAsync();
        Runtime.getRuntime().addShutdownHook(new Thread(mailman::close, "mailman-shutdown"));
        mailman.awaitClose();
    }
}
