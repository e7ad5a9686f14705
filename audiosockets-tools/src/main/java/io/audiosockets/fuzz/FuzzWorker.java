package io.audiosockets.fuzz;

import io.audiosockets.internal.protocol.Ack;
import io.audiosockets.internal.protocol.Bye;
import io.audiosockets.internal.protocol.Ping;
import io.audiosockets.internal.protocol.Pong;
import io.audiosockets.internal.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread of the campaign: opens connection after connection to the mailman and runs one
 * of four scripts on each, until the campaign has sent its frames.
 *
 * <ol>
 *   <li><b>Before HELLO</b>: one to three mutated frames or random byte strings.</li>
 *   <li><b>A mutated HELLO</b>.</li>
 *   <li><b>As a recorder</b>: a valid HELLO for stream {@code fz-r-N}, then batches that mix valid
 *       AUDIO of that stream with mutated frames.</li>
 *   <li><b>As a processor</b>: a valid HELLO as {@code fz-p-N}, then batches that mix valid ACKs
 *       and PONGs with mutated frames.</li>
 * </ol>
 *
 * Each worker has its own names ({@code N} is the worker's number), so workers do not refuse each
 * other, and none is the name of the campaign's real recorder or processor.
 */
final class FuzzWorker implements Runnable {
    private final int id;
    private final int port;
    private final FuzzSettings settings;
    private final FuzzStats stats;
    private final AtomicLong budget;
    private final FrameFuzzer fuzzer;
    private final SplittableRandom random;
    private final String stream;
    private final String processor;

    /**
     * @param budget fuzz frames left to send, shared by every worker; the worker stops when it is spent
     */
    FuzzWorker(int id, int port, FuzzSettings settings, FuzzStats stats, AtomicLong budget) {
        this.id = id;
        this.port = port;
        this.settings = settings;
        this.stats = stats;
        this.budget = budget;
        this.fuzzer = new FrameFuzzer(settings.seed() * 1_000_003L + id, settings.maxFrameBytes());
        this.random = fuzzer.random();
        this.stream = "fz-r-" + id;
        this.processor = "fz-p-" + id;
    }

    @Override
    public void run() {
        while (budget.get() > 0 && !Thread.currentThread().isInterrupted()) {
            FuzzConnection c;
            try {
                c = new FuzzConnection(port, settings.readTimeout(), stats);
            } catch (IOException e) {
                stats.connectFailures.increment();
                continue;
            }
            try (c) {
                switch (random.nextInt(4)) {
                    case 0 -> beforeHello(c);
                    case 1 -> mutatedHello(c);
                    case 2 -> afterHello(c, Role.RECORDER);
                    default -> afterHello(c, Role.PROCESSOR);
                }
            }
        }
    }

    /** Takes {@code n} frames from the shared budget. */
    private void spend(int n) {
        budget.addAndGet(-n);
        stats.fuzzFrames.add(n);
    }

    private byte[] fuzzFrame(String about) {
        return random.nextInt(10) == 0 ? fuzzer.randomBytes() : fuzzer.mutate(fuzzer.anyValid(about));
    }

    private void beforeHello(FuzzConnection c) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            batch.writeBytes(fuzzFrame(random.nextBoolean() ? stream : "live"));
        }
        spend(n);
        sendAndAwait(c, batch);
    }

    private void mutatedHello(FuzzConnection c) {
        Role role = random.nextBoolean() ? Role.RECORDER : Role.PROCESSOR;
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.writeBytes(fuzzer.mutate(fuzzer.hello(role, role == Role.RECORDER ? stream : processor, List.of(stream))));
        spend(1);
        sendAndAwait(c, batch);
    }

    private void afterHello(FuzzConnection c, Role role) {
        List<String> subscriptions = random.nextInt(4) == 0 ? List.of(stream, "live") : List.of(stream);
        byte[] hello = fuzzer.hello(role, role == Role.RECORDER ? stream : processor, subscriptions);
        stats.validFrames.increment();
        if (!c.write(hello) || c.awaitWelcome() != FuzzConnection.Result.ANSWERED) {
            return;
        }
        long seq = c.welcomeLastSeq() + 1;
        for (int batches = 1 + random.nextInt(settings.maxBatches()); batches > 0 && budget.get() > 0; batches--) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int fuzz = 0;
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                byte[] valid = role == Role.RECORDER ? fuzzer.audio(stream, seq++)
                        : random.nextBoolean() ? FrameFuzzer.encode(new Ack(stream, random.nextInt(1 << 16)))
                        : FrameFuzzer.encode(new Pong(random.nextLong()));
                if (random.nextBoolean()) {
                    batch.writeBytes(valid);
                    stats.validFrames.increment();
                } else {
                    batch.writeBytes(random.nextInt(4) == 0 ? fuzzFrame(stream) : fuzzer.mutate(valid));
                    fuzz++;
                }
            }
            spend(fuzz);
            if (!sendAndAwait(c, batch)) {
                return;
            }
        }
        if (random.nextBoolean()) {
            // An orderly goodbye: the mailman answers BYE and closes.
            stats.validFrames.increment();
            if (c.write(FrameFuzzer.encode(new Bye("DISCONNECT")))) {
                c.awaitClose();
            }
        }
    }

    /** Writes the batch and a closing PING; true if the mailman answered the PING, so read the whole batch. */
    private boolean sendAndAwait(FuzzConnection c, ByteArrayOutputStream batch) {
        long nonce = random.nextLong();
        batch.writeBytes(FrameFuzzer.encode(new Ping(nonce)));
        stats.validFrames.increment();
        if (!c.write(batch.toByteArray())) {
            return false;
        }
        FuzzConnection.Result r = c.awaitPong(nonce);
        if (r == FuzzConnection.Result.ANSWERED) {
            stats.batchesAccepted.increment();
            return true;
        }
        if (r == FuzzConnection.Result.TIMEOUT) {
            stats.readTimeouts.increment();
        }
        return false;
    }
}
