package io.audiosockets.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Says what to do for the command-line mistakes picocli reports only in its own terms around
 * {@code process}: an unknown processor kind ("Unmatched argument at index 3"), and options of
 * {@code process} given after the kind ("Unknown options"), for which it prints the command line
 * with them moved before the kind. Every other mistake goes to picocli's own handler. Exit status 2.
 */
final class UsageErrors implements IParameterExceptionHandler {
    private final IParameterExceptionHandler fallback;

    /** Handles the mistakes above and hands every other one to {@code fallback} (picocli's own handler). */
    UsageErrors(IParameterExceptionHandler fallback) {
        this.fallback = fallback;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cmd = ex.getCommandLine();
        String message = ex instanceof UnmatchedArgumentException unmatched ? explain(cmd, unmatched.getUnmatched(), args) : null;
        if (message == null) {
            return fallback.handleParseException(ex, args);
        }
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String explain(CommandLine cmd, List<String> unmatched, String[] args) {
        if (unmatched.isEmpty()) {
            return null;
        }
        String first = unmatched.get(0);
        if (cmd.getCommand() instanceof ProcessCommand) {
            return first.startsWith("-") ? null : "unknown processor kind '" + first + "'; expected one of: " + kinds(cmd)
                    + " (audiosockets process [OPTIONS] KIND [OPTIONS OF THE KIND]; see audiosockets process --help)";
        }
        CommandLine parent = cmd.getParent();
        if (parent == null || !(parent.getCommand() instanceof ProcessCommand)) {
            return null;
        }
        String kind = cmd.getCommandName();
        String corrected = corrected(parent.getCommandSpec(), cmd.getCommandSpec(), args);
        if (corrected != null) {
            Set<String> misplaced = new LinkedHashSet<>();
            for (String token : unmatched) {
                OptionSpec o = processOption(parent.getCommandSpec(), cmd.getCommandSpec(), token);
                if (o != null) {
                    misplaced.add(o.longestName());
                }
            }
            return String.join(", ", misplaced) + ": options of process go before the kind (" + kind + "); run: " + corrected;
        }
        return first.startsWith("-") ? null : "unexpected argument '" + first + "': " + kind + " takes only options (see "
                + "audiosockets process " + kind + " --help); one kind per command: " + kinds(parent);
    }

    private static String kinds(CommandLine process) {
        return process.getSubcommands().values().stream().map(CommandLine::getCommandName).distinct().collect(Collectors.joining(", "));
    }

    /**
     * {@code args} with the options of {@code process} that follow the kind moved before it, as a
     * command line to copy; null if no option of {@code process} follows the kind.
     */
    private static String corrected(CommandSpec process, CommandSpec kind, String[] args) {
        int p = 0;
        while (p < args.length && !isName(process, args[p])) {
            p++;
        }
        int k = p + 1;
        while (k < args.length && args[k].startsWith("-")) {
            OptionSpec o = processOption(process, kind, args[k]);
            k += o != null && needsNextToken(o, args[k]) ? 2 : 1;
        }
        if (k >= args.length) {
            return null;
        }
        List<String> moved = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = k + 1; i < args.length; i++) {
            OptionSpec o = processOption(process, kind, args[i]);
            if (o == null) {
                rest.add(args[i]);
                continue;
            }
            moved.add(args[i]);
            if (needsNextToken(o, args[i]) && i + 1 < args.length) {
                moved.add(args[++i]);
            }
        }
        if (moved.isEmpty()) {
            return null;
        }
        List<String> line = new ArrayList<>(List.of(args).subList(0, k));
        line.addAll(moved);
        line.add(args[k]);
        line.addAll(rest);
        return "audiosockets " + line.stream().map(UsageErrors::quoted).collect(Collectors.joining(" "));
    }

    private static boolean isName(CommandSpec spec, String token) {
        return token.equals(spec.name()) || List.of(spec.aliases()).contains(token);
    }

    /** The option of {@code process} that {@code token} is (--name, --name=x, -nx), unless the kind has it too (--help). */
    private static OptionSpec processOption(CommandSpec process, CommandSpec kind, String token) {
        if (!token.startsWith("-")) {
            return null;
        }
        int eq = token.indexOf('=');
        String name = eq > 0 ? token.substring(0, eq) : token;
        OptionSpec o = process.findOption(name);
        if (o == null && !name.startsWith("--") && name.length() > 2) {
            o = process.findOption(name.substring(0, 2)); // -nNAME: a short option with its value attached
        }
        return o == null || kind.findOption(o.longestName()) != null ? null : o;
    }

    private static boolean needsNextToken(OptionSpec o, String token) {
        return o.arity().max() > 0 && (token.equals(o.longestName()) || token.equals(o.shortestName()));
    }

    private static String quoted(String token) {
        return token.matches("[A-Za-z0-9_./:=,@%+-]+") ? token : "'" + token.replace("'", "'\\''") + "'";
    }
}
