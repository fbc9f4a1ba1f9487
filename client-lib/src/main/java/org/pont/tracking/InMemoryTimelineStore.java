package org.pont.tracking;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link TimelineStore} in memory: thread-safe, lost on exit. For tests and short-lived clients. */
public final class InMemoryTimelineStore implements TimelineStore {
  private record Key(String messageId, String recipient) {
    static Key of(String messageId, String recipient) {
      return new Key(messageId.strip(), Timeline.normalise(recipient));
    }
  }

  private final ConcurrentMap<Key, Timeline> timelines = new ConcurrentHashMap<>();

  @Override
  public Timeline accepted(String messageId, String recipient, Instant at) {
    return timelines.computeIfAbsent(Key.of(messageId, recipient), k -> Timeline.accepted(messageId, recipient, at));
  }

  @Override
  public Optional<Timeline> find(String messageId, String recipient) {
    return Optional.ofNullable(timelines.get(Key.of(messageId, recipient)));
  }

  @Override
  public List<Timeline> forMessage(String messageId) {
    String id = messageId.strip();
    return timelines.values().stream().filter(t -> t.messageId().equals(id))
        .sorted(Comparator.comparing(Timeline::recipient)).toList();
  }

  @Override
  public Optional<Timeline> apply(String messageId, String recipient, DeliveryEvent event) {
    return Optional.ofNullable(timelines.computeIfPresent(Key.of(messageId, recipient), (k, t) -> t.apply(event)));
  }

  @Override
  public List<Timeline> open() {
    return timelines.values().stream()
        .filter(t -> !t.status().isNegative() && t.status().rank() < DeliveryStatus.INTEGRATED.rank())
        .sorted(Comparator.comparing(Timeline::acceptedAt)).toList();
  }
}
