package io.secrettrail.core.secret;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.core.event.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** A saved AWS CLI output: one JSON object, several one after another, or arrays of them, streamed. */
final class JsonObjectFile {
    private JsonObjectFile() {}

    /**
     * Hands each top-level object (and each object of a top-level array) to {@code objects}. Invalid JSON ends the
     * file with one rejection at {@code index} + 1, by location and kind only: Jackson's own message quotes the
     * token, which may be a secret value.
     *
     * @param expected what the file should hold, for the error on anything else ("the JSON output of list-secrets")
     */
    static void read(
            ObjectMapper mapper,
            Path file,
            String name,
            String expected,
            Consumer<JsonNode> objects,
            LongSupplier index,
            Consumer<Rejection> rejects)
            throws IOException {
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = mapper.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT) {
                    objects.accept(mapper.readTree(p));
                } else if (t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        objects.accept(mapper.readTree(p));
                    }
                } else {
                    throw new IOException(name + ": expected " + expected + ", found " + t);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            rejects.accept(new Rejection(
                    name,
                    index.getAsLong() + 1,
                    null,
                    "invalid JSON" + io.secrettrail.core.event.ParseErrors.where(e, 1) + ": "
                            + io.secrettrail.core.event.ParseErrors.kind(e),
                    new byte[0]));
        }
    }
}
