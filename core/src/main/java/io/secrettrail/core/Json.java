package io.secrettrail.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one configured Jackson mapper of every module: what is stored in DuckDB, written in a report
 * and answered over HTTP is written by the same configuration.
 *
 * <p>Jackson's defaults are kept (field order as declared, no map sorting, nulls written, unknown
 * properties refused) because stored JSON and schema v1 were written with them; the only addition
 * is {@code java.time}: an {@code Instant} is ISO-8601 text ({@code 2026-11-21T12:00:00Z}), never
 * epoch numbers. Configured once here and never changed after: an {@link ObjectMapper} is safe to
 * share between threads only while nobody reconfigures it.
 */
public final class Json {
    private static final ObjectMapper MAPPER = configure(new ObjectMapper());
    /** The same configuration, indented: answers people read with curl. */
    private static final ObjectMapper INDENTED = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** The mapper: compact output. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The mapper with {@link SerializationFeature#INDENT_OUTPUT} (HTTP API answers). */
    public static ObjectMapper indented() {
        return INDENTED;
    }

    /**
     * The mapper reading through a factory of its own: readers of untrusted input set their own
     * stream limits (string length, nesting depth) and keep the rest of the configuration.
     */
    public static ObjectMapper with(JsonFactory factory) {
        return MAPPER.copyWith(factory);
    }

    /**
     * A list of strings as JSON text, for SQL to cast to {@code VARCHAR[]} ({@code ?::JSON::VARCHAR[]}): any string
     * bound safely as one parameter.
     */
    public static String array(java.util.List<String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return m.registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
