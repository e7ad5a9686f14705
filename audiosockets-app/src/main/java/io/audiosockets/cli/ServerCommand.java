package io.audiosockets.cli;

import io.audiosockets.config.NetworkConfig;
import io.audiosockets.mailman.Mailman;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code audiosockets server}: runs a mailman until Ctrl-C. The paper's {@code MailmanSocket}. */
@Command(name = "server", aliases = "mailman", description = "Run the mailman: accepts recorders and processors and relays every chunk.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    NetworkOptions network;

    @Override
    public Integer call() {
        NetworkConfig config = network.load();
        Mailman mailman = new Mailman(config).startAsync();
        Runtime.getRuntime().addShutdownHook(new Thread(mailman::close, "mailman-shutdown"));
        mailman.awaitClose();
        return 0;
    }
}
