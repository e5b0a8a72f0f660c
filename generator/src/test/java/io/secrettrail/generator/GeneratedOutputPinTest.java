package io.secrettrail.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what the generator writes for one seed: the SHA-256 of every output file (trail, inventory,
 * truth), recorded before the generator was moved and refactored, so that neither changes a byte.
 *
 * <p>Two listings, both in {@code sha256sum} format (check a generated directory with
 * {@code sha256sum -c}): {@code .sha256} hashes the files as written, {@code .content.sha256} the
 * JSON inside them (a gzip file's decompressed bytes). Compressed bytes depend on the zlib behind
 * {@link Deflater} as well as on the generator, so the first listing is compared only where that
 * zlib compresses a known input as the one the listing was recorded with; the second always is.
 * The generator reads no clock for content, so nothing else varies.
 */
class GeneratedOutputPinTest {
    private static final String RAW = "/generated-trail-seed7.sha256";
    private static final String CONTENT = "/generated-trail-seed7.content.sha256";
    /** SHA-256 of truth.json deflated at level 1 (raw deflate) by the zlib the listing was recorded with. */
    private static final String RECORDED_DEFLATE = "1e7a901529ea32e4c1175f78fe7e7f0c1f2e4f2f4ae28388ea0781b16351d3f5";

    @TempDir
    static Path dir;

    static Path out;

    @BeforeAll
    static void generate() throws IOException {
        out = dir.resolve("out");
        new TrailGenerator(new GeneratorConfig(out, 1, 12, 200, 0.5, 7L, Instant.parse("2026-11-20T10:17:42.500Z")))
                .generate();
    }

    @Test
    void the_json_in_every_output_file_is_the_pinned_json() throws IOException {
        assertThat(hashes(true)).isEqualTo(pinned(CONTENT));
    }

    @Test
    void every_output_file_is_byte_for_byte_the_pinned_file() throws IOException {
        byte[] truth = Files.readAllBytes(out.resolve("truth.json"));
        assumeTrue(
                RECORDED_DEFLATE.equals(sha256(deflate(truth))),
                "this JVM's zlib compresses differently from the one the listing was recorded with");
        assertThat(hashes(false)).isEqualTo(pinned(RAW));
    }

    /** Relative path (with '/') to the hex SHA-256 of the file, or of its decompressed bytes. */
    private static Map<String, String> hashes(boolean decompress) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = out.relativize(p).toString().replace('\\', '/');
                byte[] bytes;
                if (decompress && name.endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                        bytes = in.readAllBytes();
                    }
                } else {
                    bytes = Files.readAllBytes(p);
                }
                hashes.put(name, sha256(bytes));
            }
        }
        return hashes;
    }

    private static Map<String, String> pinned(String resource) throws IOException {
        Map<String, String> pinned = new TreeMap<>();
        try (InputStream in = GeneratedOutputPinTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            for (String line : lines) {
                pinned.put(line.substring(66), line.substring(0, 64));
            }
        }
        return pinned;
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
