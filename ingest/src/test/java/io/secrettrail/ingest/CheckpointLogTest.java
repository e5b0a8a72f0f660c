package io.secrettrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsSurviveReopeningAndATornLastLineIsIgnored() throws Exception {
        CheckpointLog log = new CheckpointLog(dir.resolve("sub/cp.log"));
        assertThat(log.lines()).isEmpty();
        log.append(List.of("a", "b"));
        log.append(List.of("c"));
        // A crash in the middle of an append leaves a line without its newline.
        Files.writeString(log.file(), "d-half", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(new CheckpointLog(dir.resolve("sub/cp.log")).lines()).containsExactly("a", "b", "c");
    }

    @Test
    void aTornLineIsCutOffOnOpeningSoTheNextAppendStartsItsOwnLine() throws Exception {
        Path file = dir.resolve("cp.log");
        Files.writeString(file, "H 100\nE 17999", StandardCharsets.UTF_8); // power lost mid-append
        CheckpointLog log = new CheckpointLog(file);
        log.append(List.of("E 18000 id-1"));
        assertThat(new CheckpointLog(file).lines()).containsExactly("H 100", "E 18000 id-1");
        Files.writeString(file, "torn-without-any-newline", StandardCharsets.UTF_8);
        assertThat(new CheckpointLog(file).lines()).isEmpty();
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void rewriteReplacesTheContentAtomically() throws Exception {
        CheckpointLog log = new CheckpointLog(dir.resolve("cp.log"));
        log.append(List.of("a", "b"));
        log.rewrite(List.of("z"));
        assertThat(log.lines()).containsExactly("z");
        assertThat(Files.exists(dir.resolve("cp.log.tmp"))).isFalse();
    }

    @Test
    void aLineCannotHoldANewline() throws Exception {
        CheckpointLog log = new CheckpointLog(dir.resolve("cp.log"));
        assertThatThrownBy(() -> log.append(List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(log.lines()).isEmpty();
    }
}
