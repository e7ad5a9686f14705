package io.audiosockets.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a {@link BenchReport} as JSON: the records as they are, indented. */
public final class ReportJson {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportJson() {
    }

    /** Writes {@code report} to {@code file}, replacing it. */
    public static void write(BenchReport report, Path file) throws IOException {
        JSON.writeValue(file.toFile(), report);
    }

    /** The JSON text of {@code report}. */
    public static String toJson(BenchReport report) throws IOException {
        return JSON.writeValueAsString(report);
    }
}
