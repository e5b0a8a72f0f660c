package io.secrettrail.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from the file, then SECRETTRAIL_SET (containers), then --set. */
class SettingsOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theEnvironmentWinsOverTheFileAndFlagsOverBoth() throws Exception {
        Path file = Files.writeString(
                dir.resolve("s.properties"), "aws.regions=us-east-1\naws.s3.bucket=from-file\nrotation.maxDays=60\n");
        SettingsOptions o = new SettingsOptions();
        o.config = file;
        o.set.put("rotation.maxDays", "30");
        Map<String, String> v = o.load(
                "aws.s3.bucket=from-env; aws.regions=us-east-1,eu-west-1\naws.lookup.enabled=true;rotation.maxDays=90");
        assertThat(v)
                .containsEntry("aws.s3.bucket", "from-env")
                .containsEntry("aws.regions", "us-east-1,eu-west-1")
                .containsEntry("aws.lookup.enabled", "true")
                .containsEntry("rotation.maxDays", "30");
    }

    @Test
    void aMalformedPairIsNamed() {
        SettingsOptions o = new SettingsOptions();
        assertThatThrownBy(() -> o.load("aws.s3.bucket=x;oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SECRETTRAIL_SET")
                .hasMessageContaining("\"oops\"");
    }
}
