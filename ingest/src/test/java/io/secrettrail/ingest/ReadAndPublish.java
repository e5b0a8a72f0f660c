package io.secrettrail.ingest;

import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.TrailReader;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a trail file with the real reader and publishes every event it keeps, as ingest does; a rejection fails. */
final class ReadAndPublish {
    private ReadAndPublish() {}

    static TrailReader.Result file(Path file, EventPublisher publisher) throws IOException {
        String name = file.getFileName().toString();
        TrailReader.Result read = new TrailReader().read(file, name, new TrailReader.Sink() {
            @Override
            public void accept(CloudTrailEvent e, long record) {
                publisher.event(e, name, record);
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError("rejected: " + r.error());
            }
        });
        publisher.flush();
        return read;
    }
}
