package io.audiosockets.internal.http;

import io.audiosockets.config.Security;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The secret the HTTP side requires, if any: the processors' token (PROCESSOR_TOKEN, else TOKEN),
 * since the dashboard shows what processors receive; with only RECORDER_TOKEN set, that one. A
 * request presents it as {@code Authorization: Bearer TOKEN} or {@code ?token=TOKEN}; it is
 * compared in constant time, as the audio port does.
 *
 * @param secret the token, or "" when none is required
 */
public record HttpToken(String secret) {

    /** The token {@code security} implies for the HTTP side. */
    public static HttpToken of(Security security) {
        String s = security.processorSecret().isEmpty() ? security.recorderSecret() : security.processorSecret();
        return new HttpToken(s);
    }

    /** Whether requests must present a token. */
    public boolean required() {
        return !secret.isEmpty();
    }

    /** Whether {@code request} may be served. */
    public boolean admits(HttpRequest request) {
        if (!required()) {
            return true;
        }
        String given = presented(request);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String presented(HttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        List<String> q = new QueryStringDecoder(request.uri()).parameters().get("token");
        return q == null || q.isEmpty() ? null : q.get(0);
    }
}
