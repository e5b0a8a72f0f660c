package io.secrettrail.core.event;

import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it is given, for assertions. */
final class Collecting implements TrailReader.Sink {
    final List<CloudTrailEvent> events = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();

    @Override
    public void accept(CloudTrailEvent event, long recordIndex) {
        events.add(event);
    }

    @Override
    public void reject(Rejection rejection) {
        rejections.add(rejection);
    }

    List<String> eventIds() {
        return events.stream().map(CloudTrailEvent::eventId).toList();
    }
}
